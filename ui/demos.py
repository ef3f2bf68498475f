"""The four demos in one place: navigation, home cards and the tour all read this list."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Demo", "DEMOS", "HOME_PATH", "demo_by_key"]

HOME_PATH = "pages/home.py"


@dataclass(frozen=True)
class Demo:
    key: str  # the demo's one name: models/<key>/, pages/<key>.py, tests/test_<key>*.py, bench_<key>.py, keys <key>_…
    slug: str  # URL path of the page (bookmarks and README links use it; never renamed)
    title: str
    icon: str
    industry: str
    hook: str
    you_can: str
    skills: tuple[str, ...]
    pipeline: tuple[tuple[str, str], ...]  # (stage, what happens) for the "how it works" strip

    @property
    def path(self) -> str:
        """The page file, named after the demo."""
        return f"pages/{self.key}.py"


DEMOS: tuple[Demo, ...] = (
    Demo(
        key="recs",
        slug="recommendations",
        title="Movie recommendations",
        icon=":material/movie:",
        industry="Streaming (Netflix)",
        hook="Rate a few films and a model trained on 100,004 real ratings suggests what to watch next.",
        you_can="Rate films, get instant picks with reasons, explore the film map.",
        skills=("Mathematics: matrix factorisation", "ML frameworks: Surprise", "Evaluation: RMSE, NDCG"),
        pipeline=(
            ("Data", "100,004 MovieLens ratings, 671 people"),
            ("Cleaning", "rating scale, duplicates, sparse titles"),
            ("Model", "latent-factor SVD / neighbours"),
            ("Evaluation", "5-fold RMSE, top-10 ranking"),
            ("Prediction", "your top films, with reasons"),
        ),
    ),
    Demo(
        key="people",
        slug="people-you-may-know",
        title="People you may know",
        icon=":material/group_add:",
        industry="Professional networks (LinkedIn)",
        hook="Predict which connections are missing from a social network, and say why.",
        you_can="Pick a person or join the network yourself and see who you may know.",
        skills=("Mathematics: graph theory", "Data modeling: graph features", "ML frameworks: scikit-learn"),
        pipeline=(
            ("Data", "a 2,000-person network and real graphs"),
            ("Cleaning", "self-loops, duplicates, held-out links"),
            ("Model", "neighbour scores + a learned combiner"),
            ("Evaluation", "AUC, precision@k on hidden links"),
            ("Prediction", "suggested people, with reasons"),
        ),
    ),
    Demo(
        key="risk",
        slug="disease-risk",
        title="Disease-risk prediction",
        icon=":material/cardiology:",
        industry="Hospitals (healthcare)",
        hook="Estimate the risk of diabetes from seven clinical measurements, and explain it.",
        you_can="Fill in a patient, see a calibrated risk and what would lower it.",
        skills=("Statistics: calibration", "Data modeling: cleaning and imputation", "Models: trees, neural nets"),
        pipeline=(
            ("Data", "Pima clinical records (MASS)"),
            ("Cleaning", "missing and impossible values imputed"),
            ("Model", "logistic regression, trees, neural net"),
            ("Evaluation", "held-out errors, AUC, Brier"),
            ("Prediction", "a patient's risk, explained"),
        ),
    ),
    Demo(
        key="fraud",
        slug="fraud-detection",
        title="Fraud detection in real time",
        icon=":material/credit_card:",
        industry="Banks (finance)",
        hook="Watch a live stream of card payments being scored, and catch the fraud as it happens.",
        you_can="Play the stream, move the alert threshold, try to sneak a fraud past the model.",
        skills=("Statistics: imbalanced data", "Programming: real-time scoring", "Data modeling: time windows"),
        pipeline=(
            ("Data", "a simulated bank's card payments"),
            ("Cleaning", "time windows, delayed fraud labels"),
            ("Model", "gradient boosting, forests, isolation forest"),
            ("Evaluation", "AUC, precision, card precision@100"),
            ("Prediction", "live alerts with reasons"),
        ),
    ),
)


def demo_by_key(key: str) -> Demo:
    for demo in DEMOS:
        if demo.key == key:
            return demo
    raise KeyError(key)
