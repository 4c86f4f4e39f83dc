r"""Errors to exit codes: the one place where the command line decides how it ends.

Every command is wrapped by :func:`guarded`: a :class:`~conflictkg.errors.ConflictKGError`
prints ``error: <message>`` on standard error and exits with the error's
:attr:`~conflictkg.errors.ConflictKGError.exit_code`; Ctrl-C exits with 130; a file that
cannot be written with 2; anything else is a bug, printed with its traceback, exit 3.

Examples
--------
>>> import typer
>>> from typer.testing import CliRunner
>>> from conflictkg.errors import NoPathError
>>> app = typer.Typer()
>>> @app.command()
... @guarded
... def lost() -> None:
...     raise NoPathError("no path between A and B")
>>> result = CliRunner().invoke(app, [])
>>> result.exit_code, result.stderr
(1, 'error: no path between A and B\n')
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from conflictkg.errors import ConflictKGError, ExitCode

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CODES_HELP",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "echo_error",
    "guarded",
]

EXIT_OK = ExitCode.OK
EXIT_FAILED = ExitCode.FAILED
EXIT_BAD_INPUT = ExitCode.BAD_INPUT
EXIT_INTERNAL = ExitCode.INTERNAL
EXIT_INTERRUPTED = ExitCode.INTERRUPTED

#: The exit codes, as every command's help states them.
EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 the data fails a check, or no answer; "
    "2 bad input or usage (missing, unreadable or malformed file, unknown option value); "
    "3 internal error; 130 interrupted."
)

F = TypeVar("F", bound=Callable[..., Any])


def echo_error(message: str) -> None:
    """Print ``error: message`` on standard error.

    Parameters
    ----------
    message : str
        What went wrong.
    """
    typer.echo(f"error: {message}", err=True)


def guarded(command: F) -> F:
    """Wrap a command so that errors end it with their exit codes (see the module notes).

    Parameters
    ----------
    command : callable
        A typer command function.

    Returns
    -------
    callable
        The same command, guarded.
    """

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ConflictKGError as error:
            echo_error(str(error))
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            echo_error("interrupted")
            raise typer.Exit(int(EXIT_INTERRUPTED)) from None
        except OSError as error:
            echo_error(f"cannot write: {error}")
            raise typer.Exit(int(EXIT_BAD_INPUT)) from None
        except Exception:  # noqa: BLE001 - report any bug with its traceback
            traceback.print_exc(file=sys.stderr)
            echo_error("internal error (a bug in conflictkg; the traceback is above)")
            raise typer.Exit(int(EXIT_INTERNAL)) from None

    return run  # type: ignore[return-value]
