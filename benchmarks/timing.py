"""Timing for the benchmarks: the median wall time of repeated runs of one action.

Not a benchmark: the scripts of this folder import it (they run with this folder on
``sys.path``, as scripts do), so that every median is taken the same way.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["median_seconds"]


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Run `action` `runs` times; return the median of its wall times, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
