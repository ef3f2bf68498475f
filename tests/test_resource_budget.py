"""No accepted upload may raise the server's memory by more than a fixed budget.

Worst-case uploads are generated (many distinct films, each rated just often enough to get
neighbours; a network with one person linked to everybody) and run in a fresh subprocess, whose
peak resident memory (VmHWM) is compared with its memory before the upload was read. The child's
address space is also capped, so a regression fails with a MemoryError instead of swapping.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from models.common import InputError
from models.recs.train import MAX_SVDPP_PAIRS, MAX_USER_KNN_PEOPLE, check_training_budget

BUDGET_MB = 300
ROOT = Path(__file__).resolve().parent.parent

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    start = time.perf_counter()
    import numpy as np

    def status(field):
        line = next(l for l in open("/proc/self/status") if l.startswith(field))
        return int(line.split()[1]) // 1024

    def worst_ratings(n_films):
        rows = min(300_000, 6 * n_films)  # six raters a film: above the 5 that earn neighbours
        per_film = rows // n_films
        films = np.repeat(np.arange(n_films), per_film)
        users = (films * 7 + np.tile(np.arange(per_film), n_films) * 131) % 1000
        stars = (np.arange(len(films)) % 10 + 1) / 2
        lines = [f"{u},{m},{r}" for u, m, r in zip(users, films, stars)]
        return ("userId,movieId,rating\\n" + "\\n".join(lines)).encode()

    def hub_graph_pairs():
        import networkx as nx
        rng = np.random.default_rng(0)
        others = rng.integers(1, 10_000, (95_000, 2))
        graph = nx.Graph([(0, v) for v in range(1, 10_000)])  # one person linked to everybody
        graph.add_edges_from((int(a), int(b)) for a, b in others if a != b)
        pairs = [(int(a), int(b)) for a, b in rng.integers(1, 10_000, (5_000, 2)) if a != b]
        return graph, pairs

    from models.recs.data import load_ratings_file
    from models.recs.train import train
    from models.people.scores import katz

    cap = (status("VmSize") + 2_000) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    out = {}
    for n_films in json.loads(sys.argv[1]):
        data = worst_ratings(n_films)
        base = status("VmRSS")
        model = train(load_ratings_file(data), algo="item_knn")
        out[f"{n_films} films ({len(data) // 1024} KB)"] = status("VmHWM") - base
        print(n_films, time.perf_counter() - start, file=sys.stderr, flush=True)
        del model
    graph, pairs = hub_graph_pairs()
    base = status("VmRSS")
    katz(graph, pairs)
    out[f"hub network, {graph.number_of_edges():,} links"] = status("VmHWM") - base
    print(json.dumps(out))
    """
)


def test_worst_case_uploads_stay_within_the_memory_budget():
    sizes = [5_000, 10_000, 20_000, 50_000]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(sizes)], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-2000:]
    growth = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(growth) == len(sizes) + 1
    over = {name: mb for name, mb in growth.items() if mb > BUDGET_MB}
    assert not over, f"over the {BUDGET_MB} MB budget: {over} (all: {growth})"


def _ratings(people: int, per_person: int) -> pd.DataFrame:
    rows = [(u, m, 4.0) for u in range(people) for m in range(per_person)]
    return pd.DataFrame(rows, columns=["userId", "movieId", "rating"])


def test_user_neighbours_over_the_people_limit_are_refused_before_training():
    with pytest.raises(InputError, match=f"limit is {MAX_USER_KNN_PEOPLE:,}"):
        check_training_budget(_ratings(MAX_USER_KNN_PEOPLE + 1, 2), "user_knn")
    check_training_budget(_ratings(MAX_USER_KNN_PEOPLE, 2), "user_knn")  # at the limit: accepted


def test_svdpp_over_its_work_limit_is_refused_before_training():
    per_person = int(MAX_SVDPP_PAIRS**0.5) + 1  # one person with this many ratings is over the limit
    with pytest.raises(InputError, match="SVD\\+\\+ .* the limit is"):
        check_training_budget(_ratings(1, per_person), "svdpp")
    check_training_budget(_ratings(1, per_person), "hybrid")  # the blend has no such cost
