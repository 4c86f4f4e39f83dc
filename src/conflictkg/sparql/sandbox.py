"""The worker sandbox: a query with a time limit runs in a forked process, without network.

The worker is forked after loading (the graph is shared, not copied) and killed when the
time is up (:class:`~conflictkg.errors.QueryTimeoutError`).  Unless the network is
allowed, it refuses, through an audit hook, any socket connection Python code makes
(rdflib's HTTP client).  Linux also kills it if the process that forked it dies.

A process whose one task is the query (the ``conflictkg query`` command) runs it in
itself instead, with a watchdog thread that ends the process when the time is up
(``on_timeout``).  The worker costs about 25 ms a query on a built store, whatever its
size (``benchmarks/bench_store.py``), most of it the worker opening the store again
(a RocksDB handle is not shared across a fork), which is more than Oxigraph's answer to
most library questions; the watchdog costs a few microseconds (it is started once and
not woken query by query, see :class:`_Watchdog`).  Oxigraph releases the interpreter
while it evaluates, so the watchdog runs on time even inside one long step of a query.

Examples
--------
>>> call(lambda: 6 * 7, timeout=5.0, block_network=True)
42
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from conflictkg.errors import NetworkRefusedError, QueryError, QueryTimeoutError

__all__ = ["call"]


#: Whether this process's audit hook refuses connections now (a query runs in it).
_blocked = False
_hooked = False


def _refuse_sockets(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook for the worker: no outgoing connection from Python code."""
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        raise NetworkRefusedError(
            f"the query tried to reach the network ({event}); refused "
            "(allow it with --allow-network)"
        )


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker if the process that forked it dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the parent's cleanup is all there is
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(
    task: Callable[[], Any], connection: Any, block_network: bool, parent: int
) -> None:
    """Run `task` in the forked worker and send back its value or error."""
    try:
        _die_with_parent(parent)
        if block_network:
            sys.addaudithook(_refuse_sockets)
        value = ("ok", task())
    except QueryError as error:
        value = ("error", error)
    except BaseException:  # noqa: BLE001 - report anything to the parent
        value = ("crash", traceback.format_exc())
    try:
        connection.send(value)
    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
        connection.send(("crash", traceback.format_exc()))
    connection.close()


def _refuse_while_blocked(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook of a process running its query itself: refuse only while it runs."""
    if _blocked:
        _refuse_sockets(event, args)


class _Watchdog:
    """One thread that calls a function when a deadline passes, re-armed query by query.

    Started once per process: starting a thread for every query would cost more than
    Oxigraph's answer to a selective question (a millisecond or more on a busy machine,
    where the new thread waits for a core before the query may begin).  Nor is the
    thread woken for every query: it sleeps until the deadline it last saw, and a query
    armed with a later deadline (the same time limit, a moment later) leaves it asleep;
    when it wakes it finds the new deadline and sleeps again.  Waking it for each query
    cost 40 to 130 microseconds a question (the woken thread takes a core and the
    interpreter lock while Oxigraph answers), as much as Oxigraph's whole answer to the
    most selective library questions.

    Attributes
    ----------
    wakes : int
        How many times the thread has woken (from a notice or at a deadline).
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._deadline: float | None = None
        self._fire: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        # when the sleeping thread will wake by itself (None: only when notified)
        self._wake: float | None = None
        self.wakes = 0

    def arm(self, seconds: float, fire: Callable[[], None]) -> None:
        """Call `fire` (from the watchdog's thread) in `seconds`, unless disarmed first."""
        with self._lock:
            deadline = time.monotonic() + seconds
            self._deadline, self._fire = deadline, fire
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="conflictkg-query-watchdog", daemon=True
                )
                self._thread.start()
            elif self._wake is None or deadline < self._wake:
                # asleep without a deadline, or until a later one than this
                self._lock.notify()

    def disarm(self) -> None:
        """Forget the deadline (the thread, when it wakes, finds nothing due)."""
        with self._lock:
            self._deadline = self._fire = None

    def _watch(self) -> None:
        with self._lock:
            while True:
                if self._deadline is None:
                    self._wake = None
                    self._lock.wait()
                    self.wakes += 1
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._wake = self._deadline
                    self._lock.wait(left)
                    self.wakes += 1
                    continue
                fire, self._deadline, self._fire = self._fire, None, None
                if fire is not None:
                    fire()


_WATCHDOG = _Watchdog()


def _in_process(
    task: Callable[[], Any],
    timeout: float,
    block_network: bool,
    on_timeout: Callable[[QueryTimeoutError], None],
) -> Any:
    """Run `task` here, with the watchdog calling `on_timeout` when the time is up."""
    global _blocked, _hooked
    if block_network and not _hooked:
        sys.addaudithook(_refuse_while_blocked)  # for good: an audit hook cannot be removed
        _hooked = True

    def stop() -> None:
        on_timeout(QueryTimeoutError(
            f"query stopped after {timeout:g} s (time limit; raise it with --timeout)", None
        ))
        os._exit(int(QueryTimeoutError.exit_code))  # on_timeout did not end the process

    _WATCHDOG.arm(timeout, stop)
    _blocked = block_network
    try:
        return task()
    finally:
        _blocked = False
        _WATCHDOG.disarm()


def call(
    task: Callable[[], Any],
    *,
    timeout: float | None,
    block_network: bool,
    on_timeout: Callable[[QueryTimeoutError], None] | None = None,
) -> Any:
    """Run `task`, in a forked worker killed after `timeout` seconds when one is given.

    Parameters
    ----------
    task : callable
        What to run; its value (or :class:`~conflictkg.errors.QueryError`) must pickle.
    timeout : float or None
        Seconds before the worker is killed; None runs `task` here, in this process.
    block_network : bool
        Refuse, in the worker, every socket connection Python code makes.
    on_timeout : callable, optional
        Run `task` in this process instead, and call ``on_timeout(error)`` from a
        watchdog thread when the time is up; it must end the process (it is ended with
        the error's exit status if it does not).  For a process whose one task is
        this one (see the module notes).

    Returns
    -------
    object
        What `task` returned.

    Raises
    ------
    QueryTimeoutError
        When the time is up.
    QueryError
        Raised by `task`, or when the worker died.
    """
    if timeout is None:
        return task()
    if timeout <= 0:
        raise QueryError(f"the time limit must be positive, not {timeout}")
    if on_timeout is not None:
        return _in_process(task, timeout, block_network, on_timeout)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_worker, args=(task, writer, block_network, os.getpid()), daemon=True
    )
    process.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            process.kill()
            process.join()
            raise QueryTimeoutError(
                f"query stopped after {timeout:g} s (time limit; raise it with --timeout)",
                process.pid,
            )
        try:
            status, value = reader.recv()
        except EOFError:
            process.join()
            raise QueryError(
                f"the query worker stopped unexpectedly (exit status {process.exitcode})"
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
    if status == "error":
        raise value
    if status == "crash":
        raise RuntimeError(f"the query worker failed:\n{value}")
    return value

