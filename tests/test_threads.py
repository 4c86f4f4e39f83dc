"""conflictkg.threads: results in order, the first error in order, nothing queued after it."""

import threading
import time

import pytest

from conflictkg.threads import in_threads


def test_results_come_in_the_order_of_the_items_whatever_order_they_finish_in():
    def slow_first(n):
        time.sleep(0.05 if n == 0 else 0)
        return n

    assert list(in_threads(slow_first, range(6), workers=3)) == list(range(6))


def test_the_first_error_in_order_is_raised_and_what_is_queued_is_not_started():
    started = []
    lock = threading.Lock()

    def work(n):
        with lock:
            started.append(n)
        if n in (1, 2):
            time.sleep(0.3 if n == 1 else 0.0)  # 2 fails first, 1 comes first
            raise ValueError(f"item {n}")
        time.sleep(0.0 if n == 0 else 0.2)
        return n

    with pytest.raises(ValueError, match="item 1"):
        list(in_threads(work, range(50), workers=2))
    assert len(started) < 50


def test_one_worker_runs_in_the_calling_thread():
    names = list(in_threads(lambda _: threading.current_thread().name, range(3), workers=1))
    assert names == [threading.current_thread().name] * 3


def test_workers_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        list(in_threads(str, [1], workers=0))
