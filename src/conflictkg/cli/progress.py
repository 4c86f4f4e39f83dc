"""Progress bars on standard error, shown only on a terminal.

Examples
--------
>>> with progress_bars() as bars:
...     task = bars.add_task("counting", total=2)
...     bars.advance(task)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["progress_bars"]


@contextmanager
def progress_bars(*, elapsed: bool = True) -> Iterator[Progress]:
    """Show progress bars on standard error while the block runs.

    Parameters
    ----------
    elapsed : bool, default True
        Show a spinner and the time elapsed too.

    Yields
    ------
    rich.progress.Progress
        The display; its bars vanish when the block ends, and nothing is drawn when
        standard error is not a terminal.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bars

    console = Console(stderr=True)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if elapsed:
        columns = [SpinnerColumn(), *columns, TimeElapsedColumn()]
    with Bars(*columns, console=console, transient=True, disable=not console.is_terminal) as bars:
        yield bars
