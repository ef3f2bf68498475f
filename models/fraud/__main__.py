"""`python -m models.fraud simulate | evaluate | score | drift`: the fraud demo without a browser."""

from __future__ import annotations

import argparse
import sys

from models.cli import SEED, add_json_flag, emit, make_parser, number, run_cli, whole
from models.common import DEFAULT_SEED, InputError
from models.exports import write_csv
from models.fraud.data import history_for, load_bank, simulated_period
from models.fraud.drift import POLICIES, run_scenario, summary
from models.fraud.evaluate import evaluate_scores
from models.fraud.explain import read_upload, score_upload
from models.fraud.simulator import DRIFTS, SimulationConfig, simulate
from models.fraud.train import DEFAULT_MODEL, MODELS, score, time_split, train
from models.uploads import MB, problems_frame


def _config(args: argparse.Namespace) -> SimulationConfig:
    parts = [s.strip() for s in args.scenarios.split(",") if s.strip()] if args.scenarios else []
    if any(part not in {"1", "2", "3"} for part in parts):
        raise InputError(f"--scenarios takes 1, 2 and 3 separated by commas, got {args.scenarios[:40]!r}")
    scenarios = tuple(int(s) for s in parts)
    terminals = args.terminals if args.terminals is not None else 2 * args.customers
    return SimulationConfig(
        n_customers=args.customers,
        n_terminals=terminals,
        n_days=args.days,
        fraud_multiplier=args.fraud_multiplier,
        scenarios=scenarios,
    ).validate()


def _bank_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", type=whole(), default=5_000, help="cards in the bank (default 5000)")
    parser.add_argument("--terminals", type=whole(), default=None, help="terminals (default twice the customers)")
    parser.add_argument("--days", type=whole(), default=183, help="days simulated from 2018-04-01 (default 183)")
    parser.add_argument("--fraud-multiplier", type=number(), default=1.0, help="scale the fraud scenarios (default 1)")
    parser.add_argument("--scenarios", default="1,2,3", help="fraud scenarios to inject, e.g. 1,3")
    parser.add_argument("--seed", type=SEED, default=DEFAULT_SEED)


def _simulate(args: argparse.Namespace) -> int:
    data = simulate(_config(args), seed=args.seed)
    write_csv(data, args.out)
    emit(
        {
            "transactions": len(data),
            "frauds": int(data["TX_FRAUD"].sum()),
            "fraud_rate": round(float(data["TX_FRAUD"].mean()), 5),
            "written_to": args.out,
        },
        args.json,
    )
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
        rows.append(
            {
                "model": name,
                "features": args.features,
                "auc": round(metrics.auc, 4),
                "average_precision": round(metrics.average_precision, 4),
                "card_precision_at_100": round(metrics.card_precision_at_100, 4),
                "fit_seconds": round(fitted.fit_seconds, 2),
                "test_tx": metrics.n_test,
                "test_frauds": metrics.n_frauds,
            }
        )
    emit(rows, args.json, title=f"Train days {split.train_days}, 7-day delay, test days {split.test_days}")
    return 0


def _score(args: argparse.Namespace) -> int:
    config = _config(args)
    good, problems = read_upload(
        args.file, config.n_customers, config.n_terminals, *simulated_period(config), max_bytes=20 * MB
    )
    bank = load_bank(config, args.seed)
    fitted = train(time_split(bank).train, args.model, seed=args.seed)
    scored = score_upload(fitted, history_for(config, args.seed, good, bank), good, args.threshold)
    if args.json:
        emit({"scored": scored, "problems": problems_frame(problems)}, True)
    else:
        emit(scored, False, title=f"{len(scored)} payments scored, {int(scored['alert'].sum())} alerts")
        if problems:
            emit(problems_frame(problems), False, title=f"\n{len(problems)} problems (those rows were skipped)")
    return 0


def _drift(args: argparse.Namespace) -> int:
    if args.scenario not in DRIFTS:
        raise InputError(f"unknown scenario {args.scenario!r}; choose from {', '.join(DRIFTS)}")
    policies = list(POLICIES) if args.policy == "all" else [args.policy]
    if any(p not in POLICIES for p in policies):
        raise InputError(f"unknown policy {args.policy!r}; choose from {', '.join(POLICIES)} or all")
    if not 500 <= args.customers <= 10_000:
        raise InputError(f"--customers must be between 500 and 10000, got {args.customers}")
    result = run_scenario(args.scenario, args.seed, tuple(policies), n_customers=args.customers)
    t = result.timeline
    emit(
        summary(result),
        args.json,
        title=f"Drift '{args.scenario}' from day {t.change_day} (launch day {t.launch_day}, labels {t.delay_days} "
        f"days late); card precision@100 by week after the change; the alarm: "
        f"{'day ' + str(result.alarm_day) if result.alarm_day is not None else 'never fired'}",
    )
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
    sc.add_argument(
        "--threshold",
        type=number(0.0, 1.0),
        default=0.5,
        help="alert at or above this score (0-1, default %(default)s)",
    )
    add_json_flag(sc)
    sc.set_defaults(handler=_score)
    scenarios = "; ".join(f"{name}: {text}" for name, text in DRIFTS.items())
    policies = "; ".join(f"{name}: {text}" for name, text in POLICIES.items())
    dr = sub.add_parser(
        "drift",
        help="after launch: a drift, the monitoring alarm, and retraining policies compared",
        description=f"Scenarios: {scenarios}. Policies: {policies}.",
    )
    dr.add_argument(
        "--scenario",
        default="small-amounts",
        metavar="NAME",
        help=f"one of {', '.join(DRIFTS)} (default small-amounts)",
    )
    dr.add_argument("--policy", default="all", metavar="POLICY", help=f"one of {', '.join(POLICIES)} or all (default)")
    dr.add_argument("--customers", type=int, default=5_000, help="cards in the bank (default 5000, the book's)")
    dr.add_argument("--seed", type=int, default=DEFAULT_SEED)
    add_json_flag(dr)
    dr.set_defaults(handler=_drift)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
