"""Command line: `python -m models.people {evaluate,suggest} --help`."""

from __future__ import annotations

import argparse
import sys

from models.cli import SEED, add_json_flag, emit, make_parser, number, run_cli, whole
from models.common import DEFAULT_SEED, InputError
from models.people import (
    GRAPH_NAMES,
    HEURISTICS,
    SPLITS,
    SUPERVISED,
    NetworkParams,
    TrainConfig,
    evaluate,
    fit,
    load_graph,
    suggest,
)
from models.uploads import MAX_ID


def _graph_and_config(args: argparse.Namespace):
    params = NetworkParams(n_people=args.people, seed=args.seed)
    graph = load_graph(args.graph, params)
    model = next((m for m in (args.method or []) if m in SUPERVISED), "logistic")
    config = TrainConfig(model=model, holdout=args.holdout, split=args.split, negatives=args.negatives, seed=args.seed)
    return graph, config


def _evaluate(args: argparse.Namespace) -> int:
    graph, config = _graph_and_config(args)
    result = evaluate(graph, config, methods=args.method)
    table = result.table.drop(columns=["kind"]).rename(columns={"precision_at_k": f"precision@{result.k}"})
    title = (
        f"{result.graph}: {result.n_nodes} people, {result.n_edges} links; {config.holdout:.0%} hidden "
        f"({config.split}), {result.repeats} split(s), {result.seconds:.1f} s"
    )
    emit(
        table
        if not args.json
        else {
            "graph": result.graph,
            "nodes": result.n_nodes,
            "edges": result.n_edges,
            "repeats": result.repeats,
            "k": result.k,
            "methods": table,
        },
        args.json,
        title=title,
    )
    return 0


def _suggest(args: argparse.Namespace) -> int:
    graph, config = _graph_and_config(args)
    method = args.by
    predictor = fit(graph, config) if method == "supervised" else None
    result = suggest(graph, args.person, predictor=predictor, method=method, n=args.n)
    result["score"] = result["score"].round(3)
    emit(result.drop(columns=["main_reason"]), args.json, title=f"Suggestions for person {args.person} ({method})")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--graph",
        default="synthetic",
        help=f"one of {', '.join(GRAPH_NAMES)}, or an edge-list file (two integer columns)",
    )
    parser.add_argument("--people", type=whole(), default=2000, help="size of the synthetic network (200-10000)")
    parser.add_argument("--holdout", type=number(), default=0.1, help="share of links hidden for testing")
    parser.add_argument("--split", choices=SPLITS, default="random", help="hide random links or the newest")
    parser.add_argument("--negatives", type=whole(), default=5, help="non-links sampled per hidden link")
    parser.add_argument("--seed", type=SEED, default=DEFAULT_SEED)
    add_json_flag(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = make_parser(
        "python -m models.people",
        "People you may know: link prediction evaluated on held-out links, and suggestions.",
    )
    sub = parser.add_subparsers(title="commands")
    ev = sub.add_parser("evaluate", help="AUC, average precision and precision@k of every method")
    _common(ev)
    ev.add_argument(
        "--method",
        nargs="+",
        choices=[*HEURISTICS, *SUPERVISED],
        help="methods to compare (default: every heuristic and logistic)",
    )
    ev.set_defaults(handler=_evaluate)
    sg = sub.add_parser("suggest", help="top suggestions for one person, with reasons")
    _common(sg)
    sg.add_argument("--person", type=whole(-MAX_ID, MAX_ID), required=True, help="the person's id")
    sg.add_argument("-n", type=whole(1, 100), default=10, help="how many suggestions (1-100)")
    sg.add_argument("--by", default="supervised", choices=["supervised", *HEURISTICS], help="ranking method")
    sg.set_defaults(handler=_suggest, method=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return run_cli(build_parser(), argv)
    except InputError as err:  # raised while parsing values (e.g. a graph file) before dispatch
        sys.stderr.write(f"python -m models.people: error: {err}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
