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
    "simulate",
    "expected_fraud_rate",
    "SCENARIO_NAMES",
    "DRIFTS",
]

SECONDS_PER_DAY = 86_400
GRID_SIZE = 100.0
SCENARIO_NAMES = {
    0: "genuine",
    1: "1: amount over the threshold",
    2: "2: compromised terminal",
    3: "3: compromised card",
    4: "4: the drift's new tactic",
}

# After-launch drift (issue 19): from `drift_day`, fraudsters change tactics or ordinary spending changes.
# Off ("none") by default, so every figure measured without drift stands. Sources and reasoning:
# data/card_transactions.md, "Drift after launch".
DRIFTS = {
    "none": "nothing changes",
    "small-amounts": "fraud moves to ordinary amounts: no more frauds over 220 or at 5x; a ring steals 5x "
    "more cards and empties them in quick bursts at the card's usual amounts and terminals",
    "night-merchants": "fraud moves to night hours at new merchants: compromised terminals stop; a ring steals "
    "10x more cards and pays with them at night at terminals opened in the last week",
    "holiday": "ordinary spending changes (a holiday season): genuine payments are 60 % larger and 35 % more "
    "frequent, so big amounts no longer mean fraud",
}
HOLIDAY_AMOUNT, HOLIDAY_EXTRA = 1.6, 0.35
NEW_MERCHANT_DAYS = 7
SMALL_AMOUNTS_RATE, NEW_MERCHANTS_RATE = 5.0, 10.0
"""Cards stolen a day by the new tactic, in multiples of the book's 3 per 5,000 cards: about as many victims a
day as the compromised terminals of scenario 2 had, which is what a tactic that replaces them must reach."""

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
    drift: str = "none"
    drift_day: int = 0

    def validate(self) -> SimulationConfig:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise InputError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
        if not set(self.scenarios) <= {1, 2, 3}:
            raise InputError(f"scenarios must be among 1, 2, 3, got {self.scenarios}")
        if self.drift not in DRIFTS:
            raise InputError(f"unknown drift {self.drift!r}; choose from {', '.join(DRIFTS)}")
        if self.drift != "none" and not 31 <= self.drift_day < self.n_days:
            raise InputError(f"drift_day must be between 31 and {self.n_days - 1}, got {self.drift_day}")
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
        """The parameters; without the drift ones when there is no drift, so caches keyed by a
        no-drift configuration keep their names."""
        out = asdict(self)
        if self.drift == "none":
            del out["drift"], out["drift_day"]
        return out

    def stopped(self, scenario: int, days: np.ndarray) -> np.ndarray:
        """Payments on which an old fraud scenario no longer acts because fraudsters moved on."""
        moved = {"small-amounts": (1, 3), "night-merchants": (2,)}.get(self.drift, ())
        return (days >= self.drift_day) if scenario in moved else np.zeros(days.shape, dtype=bool)


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
        big = (amount > config.amount_threshold) & ~config.stopped(1, days)
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
        compromised = (active[tx["TERMINAL_ID"].to_numpy(), days] > 0) & ~config.stopped(2, days)
        fraud[compromised], scenario[compromised] = 1, 2

    if 3 in config.scenarios:
        # Each day some cards are compromised: over the next 14 days a third of their payments
        # are fraudulent, with five times the amount.
        n_per_day = _daily_counts(config.cards_per_day, n_days, rng)
        event_day = np.repeat(np.arange(n_days), n_per_day)
        event_card = (
            np.concatenate(
                [rng.choice(config.n_customers, size=min(k, config.n_customers), replace=False) for k in n_per_day]
            ).astype(np.int64)
            if n_per_day.sum()
            else np.zeros(0, np.int64)
        )
        by_card = np.lexsort((days, tx["CUSTOMER_ID"].to_numpy()))
        keys = tx["CUSTOMER_ID"].to_numpy()[by_card] * n_days + days[by_card]
        event, position = _window_members(keys, event_card * n_days + event_day, config.card_days)
        if event.size:
            shuffled = np.lexsort((rng.random(event.size), event))
            event, position = event[shuffled], position[shuffled]
            sizes = np.bincount(event, minlength=event_card.size)
            rank = np.arange(event.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            chosen = np.unique(by_card[position[rank < (sizes // 3)[event]]])
            chosen = chosen[~config.stopped(3, days[chosen])]
            amount[chosen] = np.round(amount[chosen] * 5, 2)
            fraud[chosen], scenario[chosen] = 1, 3

    out = tx.copy()
    out["TX_AMOUNT"] = amount
    out["TX_FRAUD"] = fraud
    out["TX_FRAUD_SCENARIO"] = scenario
    return out


def _new_payments(
    tx: pd.DataFrame,
    rows: np.ndarray,
    day: np.ndarray,
    seconds_in_day: np.ndarray,
    amount: np.ndarray,
    terminal: np.ndarray,
    fraud: int,
    scenario: int,
) -> pd.DataFrame:
    """Payments added by a drift: the cards of `tx.iloc[rows]` paying on `day` at `terminal`."""
    seconds = day.astype(np.int64) * SECONDS_PER_DAY + seconds_in_day.astype(np.int64)
    start = tx["TX_DATETIME"].iloc[0].normalize() - pd.Timedelta(days=int(tx["TX_TIME_DAYS"].iloc[0]))
    return pd.DataFrame(
        {
            "TX_DATETIME": start + pd.to_timedelta(seconds, unit="s"),
            "CUSTOMER_ID": tx["CUSTOMER_ID"].to_numpy()[rows],
            "TERMINAL_ID": terminal.astype(np.int64),
            "TX_AMOUNT": np.round(np.maximum(amount, 1.0), 2),
            "TX_TIME_SECONDS": seconds,
            "TX_TIME_DAYS": day.astype(np.int64),
            "TX_FRAUD": np.int8(fraud),
            "TX_FRAUD_SCENARIO": np.int8(scenario),
        }
    )


def _daytime(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into the day, as the genuine payments' N(12 h, 20,000 s), kept inside the day."""
    return np.clip(rng.normal(SECONDS_PER_DAY / 2, 20_000, size=n), 1, SECONDS_PER_DAY - 1)


def _stolen_cards(
    tx: pd.DataFrame, config: SimulationConfig, rng: np.random.Generator, rate: float
) -> tuple[np.ndarray, ...]:
    """Cards stolen from the drift day on, at `rate` times the book's scenario-3 rate (a fraud ring): for
    each, a genuine payment of the card before the drift (to copy its habits) and the day of the theft."""
    days = tx["TX_TIME_DAYS"].to_numpy()
    first = config.drift_day
    n_stolen = _daily_counts(rate * config.cards_per_day, config.n_days - first, rng)
    stolen_day = np.repeat(np.arange(first, config.n_days), n_stolen)
    history = np.flatnonzero((days < first) & (tx["TX_FRAUD"].to_numpy() == 0))
    return history[rng.integers(history.size, size=stolen_day.size)], stolen_day  # weighted by use


def _spree(
    example: np.ndarray, stolen_day: np.ndarray, per_day: np.ndarray, spree_days: int, n_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """(the example payment, the day) of each fraudulent payment: `per_day[card, i]` on day i of the spree."""
    card = np.repeat(np.repeat(np.arange(stolen_day.size), spree_days), per_day.ravel())
    day = np.repeat((stolen_day[:, None] + np.arange(spree_days)).ravel(), per_day.ravel())
    keep = day < n_days
    return example[card[keep]], day[keep]


def _add_drift(tx: pd.DataFrame, config: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """From `drift_day` on, change the world as `config.drift` says (see DRIFTS)."""
    days = tx["TX_TIME_DAYS"].to_numpy()
    after = days >= config.drift_day
    amount = tx["TX_AMOUNT"].to_numpy()
    if config.drift == "holiday":
        genuine = after & (tx["TX_FRAUD"].to_numpy() == 0)
        tx = tx.assign(TX_AMOUNT=np.where(genuine, np.round(amount * HOLIDAY_AMOUNT, 2), amount))
        copy = np.flatnonzero(genuine)[rng.random(int(genuine.sum())) < HOLIDAY_EXTRA]
        added = _new_payments(
            tx,
            copy,
            days[copy],
            _daytime(rng, copy.size),
            tx["TX_AMOUNT"].to_numpy()[copy] * rng.uniform(0.7, 1.3, copy.size),
            tx["TERMINAL_ID"].to_numpy()[copy],
            0,
            0,
        )
    elif config.drift == "small-amounts":
        # On 3 of 7 days a stolen card is emptied in a burst of 3-6 payments within half an hour, each like
        # the owner's usual payments (0.6-1.4x the median), at a terminal the owner uses.
        example, stolen_day = _stolen_cards(tx, config, rng, SMALL_AMOUNTS_RATE)
        burst = rng.integers(3, 7, size=(stolen_day.size, 7)) * (rng.random((stolen_day.size, 7)) < 3 / 7)
        example, day = _spree(example, stolen_day, burst, 7, config.n_days)
        first_of_burst = np.r_[True, (example[1:] != example[:-1]) | (day[1:] != day[:-1])]
        burst_id = np.cumsum(first_of_burst) - 1
        when = _daytime(rng, int(burst_id.max()) + 1 if burst_id.size else 0)[burst_id]
        when = np.clip(when + rng.uniform(0, 1800, example.size), 1, SECONDS_PER_DAY - 1)
        usual = tx[~after].groupby("CUSTOMER_ID")["TX_AMOUNT"].median()
        typical = usual.reindex(tx["CUSTOMER_ID"].to_numpy()[example]).to_numpy()
        added = _new_payments(
            tx,
            example,
            day,
            when,
            typical * rng.uniform(0.6, 1.4, day.size),
            tx["TERMINAL_ID"].to_numpy()[example],
            1,
            4,
        )
    else:  # night-merchants
        example, stolen_day = _stolen_cards(tx, config, rng, NEW_MERCHANTS_RATE)
        per_day = rng.poisson(1.5, size=(stolen_day.size, NEW_MERCHANT_DAYS))
        example, day = _spree(example, stolen_day, per_day, NEW_MERCHANT_DAYS, config.n_days)
        # Two merchants open each day (new terminal ids); fraudsters use those opened in the last week.
        opened = config.n_terminals + 2 * (day - config.drift_day) - rng.integers(0, 2 * NEW_MERCHANT_DAYS, day.size)
        terminal = np.maximum(opened, config.n_terminals)
        night = rng.uniform(0, 5 * 3600, day.size)
        added = _new_payments(tx, example, day, night, rng.uniform(5, 150, day.size), terminal, 1, 4)
    out = pd.concat([tx, added], ignore_index=True).sort_values(["TX_TIME_SECONDS", "CUSTOMER_ID"], kind="stable")
    out["TRANSACTION_ID"] = np.arange(len(out), dtype=np.int64)
    return out.reset_index(drop=True)


def simulate(config: SimulationConfig | None = None, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Simulate a bank's card payments, sorted by time, with fraud labels and their scenario.

    Same config and seed, same frame. Columns: TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID,
    TERMINAL_ID, TX_AMOUNT, TX_TIME_SECONDS, TX_TIME_DAYS, TX_FRAUD, TX_FRAUD_SCENARIO.
    """
    config = (config or SimulationConfig()).validate()
    rng = np.random.default_rng(seed)
    tx = _add_frauds(_genuine_transactions(config, rng), config, rng)
    return tx if config.drift == "none" else _add_drift(tx, config, rng)  # drawn last: no-drift draws stand


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
