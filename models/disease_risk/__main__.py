"""Command line: `python -m models.disease_risk {evaluate,predict,score} --help`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import pandas as pd

from models.cli import add_json_flag, emit, make_parser, run_cli
from models.common import DEFAULT_SEED, InputError
from models.disease_risk import (
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
    train,
)
from models.disease_risk.families import chosen_config
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
    result = {
        "risk %": round(100 * risk, 1),
        "percentile in training population": round(percentile),
        "flagged": bool(risk >= config.threshold),
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
        scored.to_csv(args.out, index=False)
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


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser("python -m models.disease_risk", "Diabetes risk from the Pima clinical data (MASS).")
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
        p.add_argument("--threshold", type=float, help="flag a patient at or above this risk (0-1)")
        p.add_argument("--seed", type=int, default=DEFAULT_SEED)
        add_json_flag(p)

    ev = sub.add_parser("evaluate", help="errors, AUC, Brier on Pima.te with bootstrap intervals")
    common(ev, allow_all=True)
    ev.set_defaults(handler=_evaluate)

    pr = sub.add_parser("predict", help="one patient's risk, explained")
    for name in FEATURES:
        info = FEATURE_INFO[name]
        pr.add_argument(f"--{name}", type=float, help=f"{info.label} ({info.unit}; usual: {info.normal})")
    common(pr)
    pr.set_defaults(handler=_predict)

    sc = sub.add_parser("score", help="a CSV of patients: a risk per good row, problems per bad cell")
    sc.add_argument("file", help="CSV with columns " + ",".join(FEATURES))
    sc.add_argument("--out", help="write the scored rows to this CSV")
    common(sc)
    sc.set_defaults(handler=_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
