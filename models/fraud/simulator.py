"""A seeded card-transaction simulator, after Le Borgne et al.'s handbook (Chapter 3).

Real card data are private, so the handbook simulates a bank: customers and terminals on a
100 x 100 grid, each customer paying at terminals within a radius with its own amount and
frequency profile, and fraud injected by three documented scenarios. This version follows the
same design but draws everything with vectorised numpy (no per-transaction Python loop), so the
book's 1.75 million transactions take about two seconds instead of minutes.

Reference: Le Borgne, Siblini, Lebichot, Bontempi, "Reproducible Machine Learning for Credit Card
Fraud Detection - Practical Handbook", Université Libre de Bruxelles, 2022, chapter 3.2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from scipy.stats import norm

from models.common import DEFAULT_SEED, InputError

__all__ = [
    "SimulationConfig",
    "LIMITS",
    "RAW_COLUMNS",
    "simulate",
    "expected_fraud_rate",
    "SCENARIO_NAMES",
]

SECONDS_PER_DAY = 86_400
GRID_SIZE = 100.0
RAW_COLUMNS = ("TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID", "TX_AMOUNT")
SCENARIO_NAMES = {
    0: "genuine",
    1: "1: amount over the threshold",
    2: "2: compromised terminal",
    3: "3: compromised card",
}

# Bounds that keep every run to seconds on a 2-core laptop (issue 7: no slider may stall the app).
LIMITS = {
    "n_customers": (100, 10_000),
    "n_terminals": (100, 20_000),
    "n_days": (60, 250),
    "radius": (1.0, 20.0),
    "fraud_multiplier": (0.0, 5.0),
}


@dataclass(frozen=True)
class SimulationConfig:
    """The bank to simulate; the defaults are the handbook's own configuration.

    `fraud_multiplier` scales how many terminals and cards are compromised per day; those
    counts also scale with the population (2 terminals per 10,000 and 3 cards per 5,000 each
    day), so a small population keeps the book's fraud rate instead of quadrupling it.
    """

    n_customers: int = 5_000
    n_terminals: int = 10_000
    n_days: int = 183
    start_date: str = "2018-04-01"
    radius: float = 5.0
    scenarios: tuple[int, ...] = (1, 2, 3)
    fraud_multiplier: float = 1.0
    amount_threshold: float = 220.0
    terminal_days: int = 28
    card_days: int = 14

    def validate(self) -> SimulationConfig:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise InputError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
        if not set(self.scenarios) <= {1, 2, 3}:
            raise InputError(f"scenarios must be among 1, 2, 3, got {self.scenarios}")
        try:
            pd.Timestamp(self.start_date)
        except ValueError:
            raise InputError(f"start_date {self.start_date!r} is not a date") from None
        return self

    @property
    def terminals_per_day(self) -> float:
        return 2.0 * self.n_terminals / 10_000 * self.fraud_multiplier

    @property
    def cards_per_day(self) -> float:
        return 3.0 * self.n_customers / 5_000 * self.fraud_multiplier

    def as_dict(self) -> dict:
        return asdict(self)


def _daily_counts(rate: float, n_days: int, rng: np.random.Generator) -> np.ndarray:
    """`rate` per day exactly when whole (the book's 2 and 3), stochastic rounding otherwise."""
    whole = int(np.floor(rate))
    return whole + (rng.random(n_days) < rate - whole).astype(int)


def _neighbour_table(customer_xy: np.ndarray, terminal_xy: np.ndarray, radius: float) -> tuple[np.ndarray, ...]:
    """Terminals within `radius` of each customer, as a flat array with offsets (CSR layout)."""
    lists = cKDTree(terminal_xy).query_ball_point(customer_xy, r=radius, return_sorted=True)
    counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    flat = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]) if counts.sum() else np.zeros(0, np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return flat, offsets, counts


def _genuine_transactions(config: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    n_c, n_days = config.n_customers, config.n_days
    customer_xy = rng.uniform(0, GRID_SIZE, size=(n_c, 2))
    mean_amount = rng.uniform(5, 100, size=n_c)
    std_amount = mean_amount / 2
    tx_per_day = rng.uniform(0, 4, size=n_c)
    terminal_xy = rng.uniform(0, GRID_SIZE, size=(config.n_terminals, 2))
    flat, offsets, counts = _neighbour_table(customer_xy, terminal_xy, config.radius)

    per_day = rng.poisson(np.repeat(tx_per_day[:, None], n_days, axis=1))
    customer = np.repeat(np.repeat(np.arange(n_c), n_days), per_day.ravel())
    day = np.repeat(np.tile(np.arange(n_days), n_c), per_day.ravel())
    seconds_in_day = rng.normal(SECONDS_PER_DAY / 2, 20_000, size=customer.size).astype(np.int64)
    amount = rng.normal(mean_amount[customer], std_amount[customer])
    negative = amount < 0
    amount[negative] = rng.uniform(0, 2 * mean_amount[customer[negative]])
    pick = rng.random(customer.size)
    # The book drops times outside the day and customers with no terminal in reach.
    keep = (seconds_in_day > 0) & (seconds_in_day < SECONDS_PER_DAY) & (counts[customer] > 0)
    customer, day, seconds_in_day, amount, pick = (a[keep] for a in (customer, day, seconds_in_day, amount, pick))
    terminal = flat[offsets[customer] + (pick * counts[customer]).astype(np.int64)]
    seconds = day * SECONDS_PER_DAY + seconds_in_day
    order = np.lexsort((customer, seconds))
    tx = pd.DataFrame(
        {
            "TRANSACTION_ID": np.arange(order.size, dtype=np.int64),
            "TX_DATETIME": pd.Timestamp(config.start_date) + pd.to_timedelta(seconds[order], unit="s"),
            "CUSTOMER_ID": customer[order],
            "TERMINAL_ID": terminal[order],
            "TX_AMOUNT": np.round(amount[order], 2),
            "TX_TIME_SECONDS": seconds[order],
            "TX_TIME_DAYS": day[order],
        }
    )
    return tx


def _window_members(keys: np.ndarray, starts: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of sorted `keys` in [start, start + length) for each start: (event index, position)."""
    lo = np.searchsorted(keys, starts, side="left")
    hi = np.searchsorted(keys, starts + length, side="left")
    sizes = hi - lo
    event = np.repeat(np.arange(starts.size), sizes)
    position = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes) + np.repeat(lo, sizes)
    return event, position


def _add_frauds(tx: pd.DataFrame, config: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """The handbook's three scenarios, applied in its order (a later scenario relabels an earlier one)."""
    n_days = config.n_days
    fraud = np.zeros(len(tx), dtype=np.int8)
    scenario = np.zeros(len(tx), dtype=np.int8)
    amount = tx["TX_AMOUNT"].to_numpy().copy()
    days = tx["TX_TIME_DAYS"].to_numpy()

    if 1 in config.scenarios:
        big = amount > config.amount_threshold
        fraud[big], scenario[big] = 1, 1

    if 2 in config.scenarios:
        # Each day some terminals are compromised: all their payments for the next 28 days are fraud.
        n_per_day = _daily_counts(config.terminals_per_day, n_days, rng)
        hit = np.zeros((config.n_terminals, n_days + config.terminal_days), dtype=np.int32)
        for d, k in enumerate(n_per_day):  # one small draw per day, not per transaction
            chosen = rng.choice(config.n_terminals, size=min(k, config.n_terminals), replace=False)
            hit[chosen, d] += 1
        active = np.cumsum(hit, axis=1)
        active[:, config.terminal_days :] -= np.cumsum(hit, axis=1)[:, : -config.terminal_days]
        compromised = active[tx["TERMINAL_ID"].to_numpy(), days] > 0
        fraud[compromised], scenario[compromised] = 1, 2

    if 3 in config.scenarios:
        # Each day some cards are compromised: over the next 14 days a third of their payments
        # are fraudulent, with five times the amount.
        n_per_day = _daily_counts(config.cards_per_day, n_days, rng)
        event_day = np.repeat(np.arange(n_days), n_per_day)
        event_card = np.concatenate(
            [rng.choice(config.n_customers, size=min(k, config.n_customers), replace=False) for k in n_per_day]
        ).astype(np.int64) if n_per_day.sum() else np.zeros(0, np.int64)
        by_card = np.lexsort((days, tx["CUSTOMER_ID"].to_numpy()))
        keys = tx["CUSTOMER_ID"].to_numpy()[by_card] * n_days + days[by_card]
        event, position = _window_members(keys, event_card * n_days + event_day, config.card_days)
        if event.size:
            shuffled = np.lexsort((rng.random(event.size), event))
            event, position = event[shuffled], position[shuffled]
            sizes = np.bincount(event, minlength=event_card.size)
            rank = np.arange(event.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            chosen = np.unique(by_card[position[rank < (sizes // 3)[event]]])
            amount[chosen] = np.round(amount[chosen] * 5, 2)
            fraud[chosen], scenario[chosen] = 1, 3

    out = tx.copy()
    out["TX_AMOUNT"] = amount
    out["TX_FRAUD"] = fraud
    out["TX_FRAUD_SCENARIO"] = scenario
    return out


def simulate(config: SimulationConfig | None = None, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Simulate a bank's card payments, sorted by time, with fraud labels and their scenario.

    Same config and seed, same frame. Columns: TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID,
    TERMINAL_ID, TX_AMOUNT, TX_TIME_SECONDS, TX_TIME_DAYS, TX_FRAUD, TX_FRAUD_SCENARIO.
    """
    config = (config or SimulationConfig()).validate()
    rng = np.random.default_rng(seed)
    return _add_frauds(_genuine_transactions(config, rng), config, rng)


def expected_fraud_rate(config: SimulationConfig | None = None) -> float:
    """The fraud rate the design promises, from its parameters alone (for tests and the page).

    Scenario 1: the normal tail above the threshold, averaged over customers' mean amounts.
    Scenario 2: the share of terminals compromised on an average day (ramping up over the
    first 28 days). Scenario 3: a third of the payments of the cards compromised on an average day.
    """
    config = config or SimulationConfig()
    means = np.linspace(5, 100, 400)
    p1 = float(norm.sf(config.amount_threshold, loc=means, scale=means / 2).mean()) if 1 in config.scenarios else 0.0

    def ramp(length: int) -> float:
        return float(np.minimum(np.arange(1, config.n_days + 1), length).mean())

    p2 = 1 - np.exp(-config.terminals_per_day * ramp(config.terminal_days) / config.n_terminals)
    p3 = (1 - np.exp(-config.cards_per_day * ramp(config.card_days) / config.n_customers)) / 3
    p2 = p2 if 2 in config.scenarios else 0.0
    p3 = p3 if 3 in config.scenarios else 0.0
    return float(p1 + (1 - p1) * p2 + (1 - p1) * (1 - p2) * p3)
