"""The bank a page or the command line works on: simulated, featured, split and cached.

The default bank (the handbook's configuration and seed) is kept on disk as parquet under
`models.common.cache_dir()`, so a fresh server shows the page in about a second; the file is
rebuilt whenever it is missing or unreadable.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable

import pandas as pd

from models.common import DEFAULT_SEED, cache_dir, disk_cached_table, table_cache_path
from models.fraud.features import add_features
from models.fraud.simulator import SimulationConfig, simulate
from models.fraud.train import time_split

__all__ = ["FEATURE_VERSION", "load_bank", "keep_days_for_split", "disk_cached", "disk_cache_ready"]

FEATURE_VERSION = 1
log = logging.getLogger(__name__)


def _cache_file(config: SimulationConfig, seed: int):
    digest = hashlib.sha1(json.dumps([config.as_dict(), seed, FEATURE_VERSION], default=str).encode()).hexdigest()
    return cache_dir() / f"fraud_bank_{digest[:12]}.parquet"


def keep_days_for_split(data: pd.DataFrame, history_days: int = 45) -> pd.DataFrame:
    """Only the days a page needs: the test split, its training week and `history_days` before it
    (for the learning curve and new payments' windows). Features were computed on the full data."""
    split = time_split(data)
    first, last = split.train_days[0] - history_days, split.test_days[1]
    days = data["TX_TIME_DAYS"]
    return data[(days >= first) & (days <= last)].reset_index(drop=True)


def load_bank(config: SimulationConfig | None = None, seed: int = DEFAULT_SEED, *, disk_cache: bool = True,
              trim: bool = True) -> pd.DataFrame:
    """Simulated payments with every feature (trimmed to the days a page needs when `trim`)."""
    config = (config or SimulationConfig()).validate()
    use_disk = disk_cache and config == SimulationConfig() and trim
    path = _cache_file(config, seed)
    if use_disk and path.exists():
        try:
            return pd.read_parquet(path)
        except Exception as err:  # noqa: BLE001 - any unreadable cache is simply rebuilt
            log.warning("rebuilding unreadable %s: %s", path, err)
    data = add_features(simulate(config, seed))
    if trim:
        data = keep_days_for_split(data)
    if use_disk:
        try:
            data.to_parquet(path, index=False)
        except OSError as err:
            log.warning("could not write %s: %s", path, err)
    return data


def disk_cached(kind: str, key: object, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A derived fraud table (learning curve, arena) on disk, keyed by its parameters and feature version."""
    return disk_cached_table(f"fraud_{kind}", [key, FEATURE_VERSION], compute)


def disk_cache_ready(kind: str, key: object) -> bool:
    """Whether `disk_cached(kind, key, ...)` would answer without computing."""
    return table_cache_path(f"fraud_{kind}", [key, FEATURE_VERSION]).exists()
