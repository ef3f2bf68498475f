"""The bank a page or the command line works on: simulated, featured, split and cached.

The default bank (the handbook's configuration, trimmed to the days a page needs) is kept in the disk
cache (`models.disk_cache`), so a fresh server shows the page in about a second; it is rebuilt whenever it
is missing, unreadable or made by older code.
"""

from __future__ import annotations

import pandas as pd

from models.common import DEFAULT_SEED
from models.disk_cache import disk_cache
from models.fraud.features import add_features
from models.fraud.simulator import SimulationConfig, simulate
from models.fraud.train import time_split

__all__ = [
    "default_bank",
    "load_bank",
    "keep_days_for_split",
    "simulated_period",
    "history_for",
]


def keep_days_for_split(data: pd.DataFrame, history_days: int = 45) -> pd.DataFrame:
    """Only the days a page needs: the test split, its training week and `history_days` before it
    (for the learning curve and new payments' windows). Features were computed on the full data."""
    split = time_split(data)
    first, last = split.train_days[0] - history_days, split.test_days[1]
    days = data["TX_TIME_DAYS"]
    return data[(days >= first) & (days <= last)].reset_index(drop=True)


def load_bank(
    config: SimulationConfig | None = None, seed: int = DEFAULT_SEED, *, disk_cache: bool = True, trim: bool = True
) -> pd.DataFrame:
    """Simulated payments with every feature (trimmed to the days a page needs when `trim`)."""
    config = (config or SimulationConfig()).validate()
    if disk_cache and trim and config == SimulationConfig():
        return default_bank(seed)
    return _build(config, seed, trim=trim)


COMPACT_INTEGERS = {
    "TRANSACTION_ID": "int32",
    "CUSTOMER_ID": "int32",
    "TERMINAL_ID": "int32",
    "TX_TIME_SECONDS": "int32",  # at most 2**31 s: 68 years of simulated time
    "TX_TIME_DAYS": "int16",
}
"""Integer columns that fit smaller types: the page keeps the bank in memory for the whole day (issue 16)."""


def _build(config: SimulationConfig, seed: int, *, trim: bool) -> pd.DataFrame:
    data = add_features(simulate(config, seed))
    data = keep_days_for_split(data) if trim else data
    return data.astype({c: t for c, t in COMPACT_INTEGERS.items() if c in data.columns})


@disk_cache("models.fraud")
def default_bank(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The handbook's bank, featured and trimmed, kept on disk: the slowest step of a fresh server."""
    return _build(SimulationConfig(), seed, trim=True)


def simulated_period(config: SimulationConfig) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of the simulation and the day after its last: the dates a payment may carry."""
    start = pd.Timestamp(config.start_date).normalize()
    return start, start + pd.Timedelta(days=config.n_days)


def history_for(
    config: SimulationConfig, seed: int, payments: pd.DataFrame, bank: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The bank's past that `payments` need for their features: the (trimmed) `bank` when it covers
    their windows, else the whole simulation (raw columns only; a few seconds, nothing kept)."""
    from models.fraud.explain import HISTORY_DAYS

    bank = bank if bank is not None else load_bank(config, seed)
    if payments.empty:
        return bank
    when = pd.to_datetime(payments["TX_DATETIME"])
    covered = (
        when.min() - pd.Timedelta(days=HISTORY_DAYS) >= bank["TX_DATETIME"].min()
        and when.max() <= bank["TX_DATETIME"].max()
    )
    return bank if covered else simulate(config, seed)
