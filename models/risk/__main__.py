"""Command line: `python -m models.risk {evaluate,predict,score} --help`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import pandas as pd

from models.cli import SEED, add_json_flag, emit, make_parser, number, run_cli
from models.common import DEFAULT_SEED, InputError
from models.exports import write_csv
from models.risk import (
    CALIBRATIONS,
    FAMILIES,
    FEATURE_INFO,
    FEATURES,
    IMPUTERS,
    TRAINING_SETS,
    Config,
    compare_families,
    default_config,
    evaluate,
    explain_patient,
    load_test,
    load_training,
    population_percentile,
    predict_proba,
    predict_risk,
    score_batch,
    selection_over_seeds,
    train,
)
from models.risk.evaluate import seed_summary
from models.risk.families import chosen_config
from models.risk.learn import ACTIVATIONS, CRITERIA, LEARN_FAMILIES, LearnSettings, trajectory
from models.uploads import problems_frame


def _config(args: argparse.Namespace) -> Config:
    config = chosen_config(args.training, args.seed) if args.model == "default" else default_config(args.model)
    if getattr(args, "imputer", None):
        config = replace(config, imputer=args.imputer)
    if getattr(args, "calibration", None):
        config = replace(config, calibration=args.calibration)
    if getattr(args, "threshold", None) is not None:
        config = replace(config, threshold=args.threshold)
    return config


def _evaluate(args: argparse.Namespace) -> int:
    train_frame, test = load_training(args.training), load_test()
    if args.model == "all":
        configs = {"logistic": chosen_config(args.training, args.seed)}
        configs.update({f: default_config(f) for f in FAMILIES if f != "logistic"})
        emit(compare_families(train_frame, test, configs, seed=args.seed), args.json, title="Pima.te, every family")
        return 0
    config = _config(args)
    report = evaluate(train(train_frame, config, args.seed), test, config.threshold, args.seed)
    result = {"model": config.describe(), **report.as_dict()}
    emit(result, args.json, title=f"Pima.te ({report.n} women), trained on {args.training}")
    return 0


def _stability(args: argparse.Namespace) -> int:
    rows = selection_over_seeds(load_training(args.training), load_test(), tuple(range(args.seeds)))
    summary = seed_summary(rows)
    if args.json:
        emit({**summary, "rows": rows}, True)
    else:
        emit(
            summary, False, title=f"Selection rerun with seeds 0-{args.seeds - 1} on {args.training}, scored on Pima.te"
        )
        emit(rows, False, title="\nPer seed")
    return 0


def _predict(args: argparse.Namespace) -> int:
    values = {name: getattr(args, name) for name in FEATURES if getattr(args, name) is not None}
    if not values:
        raise InputError("give at least one measurement, e.g. --glu 150 --bmi 33")
    train_frame = load_training(args.training)
    config = _config(args)
    model = train(train_frame, config, args.seed)
    risk = predict_risk(model, values)
    why = explain_patient(model, values, train_frame)
    percentile = population_percentile(risk, predict_proba(model, train_frame))
    unused = [name for name in values if name not in model.feature_names_in_]
    if unused:  # checked for plausibility, but this model does not read them: say so rather than drop them quietly
        sys.stderr.write(
            f"note: this model does not use {', '.join(unused)} (it was left out when the model was "
            "chosen), so that value does not change the risk\n"
        )
    result = {
        "risk %": round(100 * risk, 1),
        "percentile in training population": round(percentile),
        "flagged": bool(risk >= config.threshold),
        "measurements not used by this model": ", ".join(unused) or "none",
        "explanation method": why.method,
        "contributions": [
            {"measurement": k, f"push ({why.unit})": round(float(v), 3)}
            for k, v in why.contributions.sort_values().items()
        ],
    }
    if args.json:
        emit(result, True)
    else:
        emit({k: v for k, v in result.items() if k != "contributions"}, False, title="One patient")
        emit(pd.DataFrame(result["contributions"]), False, title="\nWhat pushes the risk (negative lowers it)")
    return 0


def _score(args: argparse.Namespace) -> int:
    model = train(load_training(args.training), _config(args), args.seed)
    scored, problems = score_batch(model, args.file)
    good = int((scored["status"] == "scored").sum())
    if args.out:
        write_csv(scored, args.out)
    if args.json:
        emit(
            {
                "scored": good,
                "rows": len(scored),
                "risks": scored if not args.out else [],
                "problems": problems_frame(problems),
            },
            True,
        )
    else:
        if not args.out:
            emit(scored, False, title=f"{good} of {len(scored)} rows scored")
        else:
            print(f"{good} of {len(scored)} rows scored; risks written to {args.out}")
        if problems:
            emit(problems_frame(problems), False, title="\nProblems (row counts data rows from 1)")
    if good == 0:
        sys.stderr.write("score: error: no row could be scored\n")
        return 1
    return 0


def _learn(args: argparse.Namespace) -> int:
    features = tuple(f.strip() for f in args.features.split(",") if f.strip())
    settings = LearnSettings(
        features=features,  # type: ignore[arg-type]  (checked: exactly two known measurements)
        hidden_units=args.hidden,
        hidden_layers=args.layers,
        activation=args.activation,
        learning_rate=args.learning_rate,
        alpha=args.alpha,
        epochs=args.epochs,
        max_depth=args.max_depth,
        min_samples_leaf=args.min_leaf,
        criterion=args.criterion,
        seed=args.seed,
    )
    settings.check()
    run = trajectory(args.family, load_training("Pima.tr"), settings)
    steps = run.table()
    steps["caption"] = [frame.caption for frame in run.frames]
    title = (
        f"{run.family}: {settings.describe(run.family)}; features {', '.join(features)}; "
        f"inner split of Pima.tr (Pima.te unused); {run.seconds:.2f} s"
    )
    if args.json:
        emit(
            {
                "family": run.family,
                "features": list(features),
                "settings": settings.describe(run.family),
                "seconds": round(run.seconds, 3),
                "bytes_per_frame": run.bytes_per_frame,
                "steps": steps,
            },
            True,
        )
    else:
        emit(steps.drop(columns="caption"), False, title=title)
        print(f"\nlast step: {run.frames[-1].caption}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser("python -m models.risk", "Diabetes risk from the Pima clinical data (MASS).")
    sub = parser.add_subparsers(title="commands")

    def common(p: argparse.ArgumentParser, allow_all: bool = False) -> None:
        choices = ["default", *FAMILIES] + (["all"] if allow_all else [])
        p.add_argument(
            "--model",
            choices=choices,
            default="default",
            help="default = logistic regression chosen by cross-validation on the training set",
        )
        p.add_argument("--training", choices=TRAINING_SETS, default="Pima.tr")
        p.add_argument("--imputer", choices=IMPUTERS)
        p.add_argument("--calibration", choices=CALIBRATIONS)
        p.add_argument("--threshold", type=number(0.0, 1.0), help="flag a patient at or above this risk (0-1)")
        p.add_argument("--seed", type=SEED, default=DEFAULT_SEED)
        add_json_flag(p)

    ev = sub.add_parser("evaluate", help="errors, AUC, Brier on Pima.te with bootstrap intervals")
    common(ev, allow_all=True)
    ev.set_defaults(handler=_evaluate)

    st = sub.add_parser("stability", help="rerun the whole training-only selection per seed; Pima.te figures")
    st.add_argument("--seeds", type=int, default=20, choices=range(1, 51), metavar="N", help="seeds 0..N-1")
    st.add_argument("--training", choices=TRAINING_SETS, default="Pima.tr")
    add_json_flag(st)
    st.set_defaults(handler=_stability)

    pr = sub.add_parser("predict", help="one patient's risk, explained")
    for name in FEATURES:
        info = FEATURE_INFO[name]
        pr.add_argument(f"--{name}", type=number(), help=f"{info.label} ({info.unit}; usual: {info.normal})")
    common(pr)
    pr.set_defaults(handler=_predict)

    sc = sub.add_parser("score", help="a CSV of patients: a risk per good row, problems per bad cell")
    sc.add_argument("file", help="CSV with columns " + ",".join(FEATURES))
    sc.add_argument("--out", help="write the scored rows to this CSV")
    common(sc)
    sc.set_defaults(handler=_score)

    le = sub.add_parser("learn", help="train a network epoch by epoch or grow a tree split by split, step by step")
    le.add_argument("--features", default="glu,bmi", help="two measurements, comma-separated: " + ",".join(FEATURES))
    le.add_argument("--family", choices=LEARN_FAMILIES, default="mlp")
    le.add_argument("--epochs", type=int, default=LearnSettings.epochs, help="network: passes over the women")
    le.add_argument("--hidden", type=int, default=LearnSettings.hidden_units, help="network: neurons per layer")
    le.add_argument("--layers", type=int, default=LearnSettings.hidden_layers, help="network: hidden layers")
    le.add_argument("--activation", choices=ACTIVATIONS, default=LearnSettings.activation)
    le.add_argument("--learning-rate", type=float, default=LearnSettings.learning_rate)
    le.add_argument("--alpha", type=float, default=LearnSettings.alpha, help="network: weight penalty")
    le.add_argument("--max-depth", type=int, default=LearnSettings.max_depth, help="tree: most questions per path")
    le.add_argument("--min-leaf", type=int, default=LearnSettings.min_samples_leaf, help="tree: fewest women a leaf")
    le.add_argument("--criterion", choices=CRITERIA, default=LearnSettings.criterion)
    le.add_argument("--seed", type=int, default=DEFAULT_SEED)
    add_json_flag(le)
    le.set_defaults(handler=_learn)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
