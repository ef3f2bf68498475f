"""Movie recommendations: accuracy, ranking, fold-in speed and the engineer's-view figures, beside the anchors."""

from __future__ import annotations

import itertools
import os
import statistics
import time

import numpy as np
import pandas as pd
from sklearn.metrics import root_mean_squared_error

from benchmarks import results
from benchmarks.common import markdown_table, median_seconds
from models.common import DEFAULT_SEED
from models.recs.data import load_movielens
from models.recs.engineer import learning_curve, model_arena, slice_report
from models.recs.evaluate import (
    kfold_scores,
    kfold_splits,
    popularity_ranking_scores,
    predict_pairs,
    ranking_scores,
)
from models.recs.explain import recommend, visitor_state
from models.recs.train import ALGORITHMS, fold_in_user, known_user_state, score_items, train

SCI_FI = {1214: 5, 260: 5, 1196: 5, 2571: 5, 541: 5, 1721: 1, 597: 1}
NESTED_TARGET = 0.860  # issue 14
ANCHOR = {  # /work/shared/ANCHORS.md: 5-fold RMSE on this data set measured with Surprise; ml-100k published
    "baseline": ("0.894", "0.944"),
    "svd_default": ("0.897", "0.934"),
    "item_knn": ("0.876 (Surprise KNNBaseline item, 4.5 s)", "0.931"),
    "svd": ("0.8775 (100 factors, 60 epochs, 2.0 s)", ""),
    "hybrid": ("0.868 (50/50 SVD + Surprise KNNBaseline, about 10 s)", ""),
    "user_knn": ("", ""),
    "nmf": ("", "0.963"),
}


def _surprise_default_svd(ratings: pd.DataFrame, folds: list) -> dict:
    from surprise import SVD, Dataset, Reader, accuracy

    data = Dataset.load_from_df(ratings[["userId", "movieId", "rating"]], Reader(rating_scale=(0.5, 5)))
    rmse, mae, fits = [], [], []
    raw = data.raw_ratings
    for train_rows, test_rows in folds:
        trainset = data.construct_trainset([raw[i] for i in train_rows])
        testset = data.construct_testset([raw[i] for i in test_rows])
        start = time.perf_counter()
        algo = SVD(random_state=DEFAULT_SEED).fit(trainset)
        fits.append(time.perf_counter() - start)
        predictions = algo.test(testset)
        rmse.append(accuracy.rmse(predictions, verbose=False))
        mae.append(accuracy.mae(predictions, verbose=False))
    return {"rmse": np.mean(rmse), "mae": np.mean(mae), "fit": statistics.median(fits), "folds": rmse, "mae_folds": mae}


def accuracy_table(ratings, movies) -> pd.DataFrame:
    folds = kfold_splits(ratings, 5)
    rows = []
    default_svd = _surprise_default_svd(ratings, folds)
    rows.append({"model": "SVD, Surprise defaults", "key": "svd_default", **default_svd})
    for algo in ("baseline", "svd", "nmf", "item_knn", "user_knn", "hybrid"):
        scores = kfold_scores(ratings, movies, algo=algo, folds=5)
        rows.append(
            {
                "model": ALGORITHMS[algo]["label"],
                "key": algo,
                "rmse": scores["rmse"].mean(),
                "mae": scores["mae"].mean(),
                "fit": scores["fit_seconds"].median(),
                "folds": list(scores["rmse"]),
                "mae_folds": list(scores["mae"]),
            }
        )
    table = pd.DataFrame(rows)
    table["anchor (this data)"] = [ANCHOR[k][0] for k in table["key"]]
    table["anchor (ml-100k, Surprise)"] = [ANCHOR[k][1] for k in table["key"]]
    return table.rename(columns={"rmse": "5-fold RMSE", "mae": "5-fold MAE", "fit": "fit s (median)"})


SVD_GRID = tuple(itertools.product((30, 60), (50, 70), (0.08, 0.1)))  # (factors, epochs, regularisation)
KNN_GRID = (40, 60)  # neighbours
WEIGHT_GRID = (0.3, 0.4, 0.5)  # weight of the SVD part in the blend


def inner_choice(training: pd.DataFrame, movies: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Every grid point of the blend scored on a 10 % inner split of `training` (a fold's training part).

    Each SVD setting and each neighbour setting is fitted once on the other 90 %; every pair is blended at
    the weight that suits it best on the inner split. Nothing outside `training` is read.
    """
    inner_mask = np.random.default_rng(seed).random(len(training)) < 0.1
    fit_part, val = training[~inner_mask], training[inner_mask]
    users, films, truth = val["userId"].to_numpy(), val["movieId"].to_numpy(), val["rating"].to_numpy()
    svd, knn = {}, {}
    for n_factors, n_epochs, reg_all in SVD_GRID:
        model = train(
            fit_part, movies, algo="svd", n_factors=n_factors, n_epochs=n_epochs, lr_all=0.007, reg_all=reg_all
        )
        svd[(n_factors, n_epochs, reg_all)] = predict_pairs(model, users, films)
    for k in KNN_GRID:
        knn[k] = predict_pairs(train(fit_part, movies, algo="item_knn", k=k, shrinkage=100), users, films)
    default = ALGORITHMS["hybrid"]["params"]
    rows = []
    for (n_factors, n_epochs, reg_all), from_svd in svd.items():
        for k, from_knn in knn.items():
            inner = {
                w: root_mean_squared_error(truth, np.clip(w * from_svd + (1 - w) * from_knn, 0.5, 5))
                for w in WEIGHT_GRID
            }
            weight = min(inner, key=inner.get)
            rows.append(
                {
                    "n_factors": n_factors,
                    "n_epochs": n_epochs,
                    "reg_all": reg_all,
                    "k": k,
                    "best weight": weight,
                    "inner RMSE": inner[weight],
                    "default": (n_factors, n_epochs, reg_all, k, weight)
                    == (default["n_factors"], default["n_epochs"], default["reg_all"], default["k"], default["blend"]),
                }
            )
    return pd.DataFrame(rows).sort_values("inner RMSE").reset_index(drop=True)


def hyperparameter_choice(ratings, movies) -> pd.DataFrame:
    """How the shipped default was chosen: the grid on a 10 % inner split of fold 1's training part."""
    train_rows, _ = kfold_splits(ratings, 5)[0]
    return inner_choice(ratings.iloc[train_rows], movies, DEFAULT_SEED + 1)


def nested_selection(ratings, movies) -> pd.DataFrame:
    """Nested cross-validation: inside each outer fold, the whole grid is chosen on that fold's training part
    alone, refitted on it and scored on the fold's test part, which took no part in any choice."""
    rows = []
    for fold, (train_rows, test_rows) in enumerate(kfold_splits(ratings, 5), start=1):
        training, test = ratings.iloc[train_rows], ratings.iloc[test_rows]
        best = inner_choice(training, movies, DEFAULT_SEED + fold).iloc[0]
        chosen = dict(
            n_factors=int(best["n_factors"]),
            n_epochs=int(best["n_epochs"]),
            lr_all=0.007,
            reg_all=float(best["reg_all"]),
            k=int(best["k"]),
            shrinkage=100,
            blend=float(best["best weight"]),
        )
        model = train(training, movies, algo="hybrid", **chosen)
        predicted = predict_pairs(model, test["userId"].to_numpy(), test["movieId"].to_numpy())
        rows.append(
            {
                "fold": fold,
                "chosen (factors, epochs, reg, k, weight)": ", ".join(
                    str(chosen[key]) for key in ("n_factors", "n_epochs", "reg_all", "k", "blend")
                ),
                "inner RMSE": float(best["inner RMSE"]),
                "outer RMSE": root_mean_squared_error(test["rating"], predicted),
            }
        )
    return pd.DataFrame(rows)


def blend_weight_check(ratings, movies) -> pd.DataFrame:
    """The blend weight chosen per outer fold on a 10 % inner split of its training part only."""
    rows = []
    grid = np.round(np.arange(0.0, 1.01, 0.1), 1)
    for fold, (train_rows, test_rows) in enumerate(kfold_splits(ratings, 5), start=1):
        training, test = ratings.iloc[train_rows], ratings.iloc[test_rows]
        inner_rng = np.random.default_rng(DEFAULT_SEED + fold)
        inner_mask = inner_rng.random(len(training)) < 0.1
        fit_part, val = training[~inner_mask], training[inner_mask]
        parts = {}
        for name, blend in (("svd", 1.0), ("knn", 0.0)):
            model = train(fit_part, movies, blend=blend)
            parts[name] = predict_pairs(model, val["userId"].to_numpy(), val["movieId"].to_numpy())
        inner = [
            root_mean_squared_error(val["rating"], np.clip(w * parts["svd"] + (1 - w) * parts["knn"], 0.5, 5))
            for w in grid
        ]
        chosen = float(grid[int(np.argmin(inner))])
        model = train(training, movies, blend=chosen)
        outer = root_mean_squared_error(
            test["rating"], predict_pairs(model, test["userId"].to_numpy(), test["movieId"].to_numpy())
        )
        rows.append({"fold": fold, "weight chosen on inner split": chosen, "outer RMSE": outer})
    return pd.DataFrame(rows)


def ranking_table(ratings, movies) -> tuple[pd.DataFrame, pd.DataFrame]:
    train_rows, test_rows = kfold_splits(ratings, 5)[0]
    training, test = ratings.iloc[train_rows], ratings.iloc[test_rows]
    # Rating weight chosen on an inner 20 % of fold 1's training part, never on its test part.
    inner_mask = np.random.default_rng(DEFAULT_SEED).random(len(training)) < 0.2
    inner_model = train(training[~inner_mask], movies)
    weights = []
    for weight in (0.0, 0.25, 0.5, 1.0, 2.0):
        scores = ranking_scores(inner_model, training[inner_mask], rating_weight=weight)
        weights.append({"rating weight": weight, "inner NDCG@10": scores.ndcg, "inner precision@10": scores.precision})
    rows = []
    for algo in ("hybrid", "baseline"):
        model = train(training, movies, algo=algo)
        for label, weight in (("watch + rating", 0.5), ("predicted rating only", None)):
            s = ranking_scores(model, test, rating_weight=weight)
            rows.append(
                {
                    "model": f"{ALGORITHMS[algo]['label']}, {label}",
                    "precision@10": s.precision,
                    "recall@10": s.recall,
                    "NDCG@10": s.ndcg,
                    "coverage": s.coverage,
                    "popularity pct": s.popularity,
                }
            )
    s = popularity_ranking_scores(model, test)
    rows.append(
        {
            "model": "Popularity (most-rated unseen films)",
            "precision@10": s.precision,
            "recall@10": s.recall,
            "NDCG@10": s.ndcg,
            "coverage": s.coverage,
            "popularity pct": s.popularity,
        }
    )
    return pd.DataFrame(weights), pd.DataFrame(rows)


def fold_in_table(ratings, movies) -> pd.DataFrame:
    model = train(ratings, movies)
    seconds, _ = median_seconds(lambda: recommend(model, visitor_state(model, SCI_FI), 10), repeats=20, warmup=2)
    retrain, _ = median_seconds(lambda: train(ratings, movies), repeats=3)
    cpu = []
    for _ in range(3):
        start = time.process_time()
        train(ratings, movies)
        cpu.append(time.process_time() - start)
    train_rows, test_rows = kfold_splits(ratings, 5)[0]
    fold_model = train(ratings.iloc[train_rows], movies)
    test = ratings.iloc[test_rows]
    heavy = test.groupby("userId").size().nlargest(60).index
    trained_err, folded_err = [], []
    for user_id in heavy:
        part = test[test["userId"] == user_id]
        items = np.array([fold_model.item_index.get(m, -1) for m in part["movieId"]])
        ok = items >= 0
        user = int(np.flatnonzero(fold_model.user_ids == user_id)[0])
        known = known_user_state(fold_model, user)
        folded = fold_in_user(fold_model, known.rated, known.ratings)
        truth = part["rating"].to_numpy()[ok]
        trained_err.append((score_items(fold_model, known, items[ok]) - truth) ** 2)
        folded_err.append((score_items(fold_model, folded, items[ok]) - truth) ** 2)
    speed = {"fold_in_ms": 1000 * seconds, "retrain_s": retrain}
    return speed, pd.DataFrame(
        [
            {
                "measure": "new visitor's top 10 after a rating (fold-in + ranking), median of 20",
                "value": f"{1000 * seconds:.0f} ms (target < 1 s)",
            },
            {
                "measure": "full retrain of the default model on all 100,004 ratings, median of 3",
                "value": f"{retrain:.2f} s wall, {statistics.median(cpu):.2f} s CPU (target < 3 s)",
            },
            {
                "measure": "RMSE on held-out ratings of 60 people, trained factors",
                "value": f"{np.sqrt(np.mean(np.concatenate(trained_err))):.3f}",
            },
            {
                "measure": "same people folded in from their training ratings (no retrain)",
                "value": f"{np.sqrt(np.mean(np.concatenate(folded_err))):.3f}",
            },
        ]
    )


def run() -> str:
    load_before = os.getloadavg()[0]
    ratings, movies = load_movielens()
    accuracy = accuracy_table(ratings, movies)
    blend = blend_weight_check(ratings, movies)
    tuning = hyperparameter_choice(ratings, movies)
    nested = nested_selection(ratings, movies)
    weights, ranking = ranking_table(ratings, movies)
    speed, fold_in = fold_in_table(ratings, movies)
    curve = learning_curve(ratings, movies).pivot(index="x", columns="metric", values="value").reset_index()
    curve = curve.rename(columns={"x": "share of training ratings (%)"})
    arena = model_arena(ratings, movies)
    slices = slice_report(ratings, movies).drop(columns=["too_few", "note"])
    hybrid = accuracy[accuracy["model"].str.startswith("Blend")].iloc[0]
    _record(accuracy, ranking, speed, nested)
    nested_mean = nested["outer RMSE"].mean()
    load = f"1-minute load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end"
    return "\n".join(
        [
            "## Movie recommendations: MovieLens (dslabs, 100,004 ratings)",
            "",
            f"Default model (blend of a {ALGORITHMS['hybrid']['params']['n_factors']}-factor SVD and item neighbours, "
            f"weight {ALGORITHMS['hybrid']['params']['blend']}): **5-fold RMSE "
            f"{hybrid['5-fold RMSE']:.4f}**, median fit {hybrid['fit s (median)']:.2f} s (target: RMSE <= 0.865 with "
            "fit < 3 s). Same folds (scikit-learn KFold, seed 42) for every row; our item-neighbour model is "
            "KNNBaseline's pearson_baseline rule vectorised (films with 5+ ratings), not Surprise's loop.",
            "",
            f"Timings share the 2 cores with whatever else runs ({load}); on a busy machine they stretch, "
            "the accuracy figures do not.",
            "",
            "### Rating accuracy (5-fold)",
            markdown_table(accuracy.drop(columns=["key", "folds", "mae_folds"]), 4),
            "",
            "### Blend weight chosen on training folds only",
            "Each outer fold's training part is split 90/10; the weight with the lowest RMSE on that 10 % is "
            "refitted on the whole training part and scored on the outer fold.",
            markdown_table(blend, 4),
            f"Mean outer RMSE with per-fold weights: {blend['outer RMSE'].mean():.4f}.",
            "",
            "### Nested selection: every choice made inside each outer fold",
            "Inside each outer fold, the whole grid below (SVD factors, epochs and regularisation; neighbours; "
            "blend weight) is scored on a 90/10 split of that fold's training ratings only; the best point is "
            "refitted on the fold's training ratings and scored on its test ratings, which took no part in any "
            "choice. This is the honest figure for the recipe, not for one fixed setting.",
            markdown_table(nested, 4),
            f"**Nested 5-fold RMSE {nested_mean:.4f}** (folds {nested['outer RMSE'].min():.4f}-"
            f"{nested['outer RMSE'].max():.4f}); target <= {NESTED_TARGET}: "
            f"{'met' if nested_mean <= NESTED_TARGET else '**missed**'}.",
            "",
            "### How the shipped default was chosen (fold 1's inner split)",
            "Fold 1's training ratings split 90/10, SVD learning rate 0.007 and neighbour shrinkage 100 throughout. "
            "The shipped default is the row with the lowest inner RMSE there. Those training ratings are the test "
            "ratings of folds 2-5, so the plain 5-fold figure of this one setting could flatter it; "
            + _flattery(nested_mean, float(hybrid["5-fold RMSE"]))
            + " The differences between the best rows are a few ten-thousandths of a star, within the noise of one "
            "split.",
            markdown_table(tuning.head(8), 4),
            "",
            "### Top-10 ranking (fold 1, held-out ratings >= 4, films with 20+ ratings)",
            "Ranking weight of the predicted rating against the watch score, chosen on an inner 20 % of fold 1's "
            "training ratings:",
            markdown_table(weights, 4),
            "",
            markdown_table(ranking, 4),
            "",
            "### Speed of a new visitor's recommendations",
            markdown_table(fold_in),
            "",
            "### Learning curve (fold 1; ranking on 300 people)",
            markdown_table(curve, 4),
            "",
            "### Model arena (fold 1; quality = % of the error of guessing the mean that the model removes)",
            markdown_table(arena, 3),
            "",
            "### Who it serves worse: light vs heavy raters (fold 1)",
            markdown_table(slices, 3),
        ]
    )


def _flattery(nested: float, plain: float) -> str:
    """What the nested figure says about the shipped setting's plain 5-fold figure, from the two numbers."""
    gap = nested - plain
    if gap > 0.0005:
        return f"it does, by {gap:.4f} stars (nested {nested:.4f} against {plain:.4f}): quote the nested figure."
    return (
        f"it does not (nested {nested:.4f} against {plain:.4f}, {abs(gap):.4f} stars apart): the recipe holds up "
        "when every choice is made inside each fold."
    )


def _record(accuracy: pd.DataFrame, ranking: pd.DataFrame, speed: dict[str, float], nested: pd.DataFrame) -> None:
    """Every figure pages and README show, into results/recs.json (fold spreads beside the means)."""
    cv = "5-fold cross-validation on 100,004 MovieLens ratings (scikit-learn KFold, seed 42), mean over folds"
    figures = []
    for row in accuracy.to_dict("records"):
        model, key = row["model"], row["key"]
        for metric, folds in (("rmse", "folds"), ("mae", "mae_folds")):
            figures.append(
                results.measured(
                    f"{key}.{metric}",
                    float(np.mean(row[folds])),
                    "stars",
                    cv,
                    demo="recs",
                    label=f"{model}: {metric.upper()}",
                    better="lower",
                    spread=results.Spread.of(row[folds], "5 folds"),
                )
            )
        figures.append(
            results.measured(
                f"{key}.fit_s",
                float(row["fit s (median)"]),
                "s",
                "median fit time over the 5 folds, 2 shared cores",
                demo="recs",
                label=f"{model}: fit time",
                better="lower",
            )
        )
    rank = "top 10 per person on fold 1's held-out ratings >= 4 (films with 20+ ratings)"
    keys = {
        "Blend: SVD + item neighbours (default), watch + rating": "hybrid",
        "BaselineOnly (average + user and film biases), watch + rating": "baseline",
        "Popularity (most-rated unseen films)": "popularity",
    }
    for row in ranking.to_dict("records"):
        if row["model"] in keys:
            for metric, column in (("ndcg10", "NDCG@10"), ("precision10", "precision@10")):
                figures.append(
                    results.measured(
                        f"ranking.{keys[row['model']]}.{metric}",
                        float(row[column]),
                        "",
                        rank,
                        demo="recs",
                        label=f"{row['model']}: {column}",
                        better="higher",
                    )
                )
    figures += [
        results.measured(
            "speed.fold_in_ms",
            speed["fold_in_ms"],
            "ms",
            "a new visitor's top 10 after a rating (fold-in + ranking), median of 20",
            demo="recs",
            label="new visitor's top 10",
            better="lower",
        ),
        results.measured(
            "speed.retrain_s",
            speed["retrain_s"],
            "s",
            "full retrain of the default on all 100,004 ratings, wall time, median of 3",
            demo="recs",
            label="full retrain",
            better="lower",
        ),
    ]
    figures.append(
        results.measured(
            "hybrid.rmse_nested",
            float(nested["outer RMSE"].mean()),
            "stars",
            "nested 5-fold cross-validation: the blend's grid chosen on a 90/10 split of each outer fold's training "
            "ratings, refitted there, scored on the outer fold (scikit-learn KFold, seed 42)",
            demo="recs",
            label="Blend, every setting chosen inside each fold: RMSE",
            better="lower",
            spread=results.Spread.of(list(nested["outer RMSE"]), "5 folds"),
        )
    )
    anchor = "measured with Surprise on this data set, 5-fold (/work/shared/ANCHORS.md)"
    figures += [
        results.published(
            "anchor.surprise_knnbaseline.rmse",
            0.876,
            "stars",
            "Surprise KNNBaseline item pearson_baseline, " + anchor,
            label="Surprise KNNBaseline",
            better="lower",
        ),
        results.published(
            "anchor.surprise_svd.rmse", 0.897, "stars", "Surprise SVD defaults, " + anchor, better="lower"
        ),
        results.published(
            "anchor.surprise_baselineonly.rmse", 0.894, "stars", "Surprise BaselineOnly, " + anchor, better="lower"
        ),
    ]
    results.record("recs", figures)


if __name__ == "__main__":
    print(run())
