"""`python -m models.fraud simulate | evaluate | score`: the fraud demo without a browser."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from models.cli import add_json_flag, emit, make_parser, run_cli
from models.common import DEFAULT_SEED, InputError
from models.fraud.data import load_bank
from models.fraud.evaluate import evaluate_scores
from models.fraud.explain import read_upload, score_upload
from models.fraud.simulator import SimulationConfig, simulate
from models.fraud.train import DEFAULT_MODEL, MODELS, score, time_split, train
from models.uploads import problems_frame


def _config(args: argparse.Namespace) -> SimulationConfig:
    scenarios = tuple(int(s) for s in args.scenarios.split(",") if s.strip()) if args.scenarios else ()
    terminals = args.terminals if args.terminals is not None else 2 * args.customers
    return SimulationConfig(n_customers=args.customers, n_terminals=terminals, n_days=args.days,
                            fraud_multiplier=args.fraud_multiplier, scenarios=scenarios).validate()


def _bank_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", type=int, default=5_000, help="cards in the bank (default 5000)")
    parser.add_argument("--terminals", type=int, default=None, help="terminals (default twice the customers)")
    parser.add_argument("--days", type=int, default=183, help="days simulated from 2018-04-01 (default 183)")
    parser.add_argument("--fraud-multiplier", type=float, default=1.0, help="scale the fraud scenarios (default 1)")
    parser.add_argument("--scenarios", default="1,2,3", help="fraud scenarios to inject, e.g. 1,3")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)


def _simulate(args: argparse.Namespace) -> int:
    data = simulate(_config(args), seed=args.seed)
    try:
        data.to_csv(args.out, index=False)
    except OSError as err:
        raise InputError(f"cannot write {args.out}: {err.strerror}") from None
    emit({"transactions": len(data), "frauds": int(data["TX_FRAUD"].sum()),
          "fraud_rate": round(float(data["TX_FRAUD"].mean()), 5), "written_to": args.out}, args.json)
    return 0


def _models(text: str) -> list[str]:
    names = list(MODELS) if text == "all" else [m.strip() for m in text.split(",")]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        raise InputError(f"unknown model {unknown[0]!r}; choose from {', '.join(MODELS)} or all")
    return names


def _evaluate(args: argparse.Namespace) -> int:
    names = _models(args.model)
    split = time_split(load_bank(_config(args), args.seed))
    rows = []
    for name in names:
        fitted = train(split.train, name, features=args.features, seed=args.seed)
        metrics = evaluate_scores(split.test, score(fitted, split.test))
        rows.append({"model": name, "features": args.features, "auc": round(metrics.auc, 4),
                     "average_precision": round(metrics.average_precision, 4),
                     "card_precision_at_100": round(metrics.card_precision_at_100, 4),
                     "fit_seconds": round(fitted.fit_seconds, 2), "test_tx": metrics.n_test,
                     "test_frauds": metrics.n_frauds})
    emit(rows, args.json, title=f"Train days {split.train_days}, 7-day delay, test days {split.test_days}")
    return 0


def _score(args: argparse.Namespace) -> int:
    config = _config(args)
    bank = load_bank(config, args.seed)
    first = bank["TX_DATETIME"].min().normalize()
    good, problems = read_upload(args.file, config.n_customers, config.n_terminals, first,
                                 first + pd.Timedelta(days=config.n_days + 60),
                                 max_bytes=20 * 1024 * 1024)
    fitted = train(time_split(bank).train, args.model, seed=args.seed)
    scored = score_upload(fitted, bank, good, args.threshold)
    if args.json:
        emit({"scored": scored, "problems": problems_frame(problems)}, True)
    else:
        emit(scored, False, title=f"{len(scored)} payments scored, {int(scored['alert'].sum())} alerts")
        if problems:
            emit(problems_frame(problems), False, title=f"\n{len(problems)} problems (those rows were skipped)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser("python -m models.fraud", "Simulate a bank, evaluate fraud detectors, score payments.")
    sub = parser.add_subparsers()
    sim = sub.add_parser("simulate", help="simulate payments and write them as CSV")
    _bank_flags(sim)
    sim.add_argument("--out", required=True, help="CSV file to write")
    add_json_flag(sim)
    sim.set_defaults(handler=_simulate)
    ev = sub.add_parser("evaluate", help="the handbook's protocol: AUC, AP, card precision@100")
    _bank_flags(ev)
    ev.add_argument("--model", default="all", help=f"{', '.join(MODELS)} or all (default)")
    ev.add_argument("--features", default="extended", choices=["baseline", "extended"])
    add_json_flag(ev)
    ev.set_defaults(handler=_evaluate)
    sc = sub.add_parser("score", help="score a CSV of raw payments (TX_DATETIME, CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT)")
    sc.add_argument("file")
    _bank_flags(sc)
    sc.add_argument("--model", default=DEFAULT_MODEL, choices=list(MODELS))
    sc.add_argument("--threshold", type=float, default=0.5)
    add_json_flag(sc)
    sc.set_defaults(handler=_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
