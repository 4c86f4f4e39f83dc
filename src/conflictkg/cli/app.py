r"""Errors to exit codes, and typer made light: how every command starts and ends.

Every command is wrapped by :func:`guarded`: a :class:`~conflictkg.errors.ConflictKGError`
prints ``error: <message>`` on standard error and exits with the error's
:attr:`~conflictkg.errors.ConflictKGError.exit_code`; Ctrl-C exits with 130; a file that
cannot be written with 2; anything else is a bug, printed with its traceback, exit 3.

:func:`light_options` reads the options whose values are text, numbers or paths without
pydantic: typer checks every option's value with a pydantic adapter, and importing
pydantic and building the adapters is a tenth of a second of every command's start
(``python -X importtime -m conflictkg query NAME``), more than Oxigraph takes to answer
most library questions.  The checks are the same (numbers within their ``min`` and
``max``); an option of another kind (a choice, a path that must exist) keeps typer's own.

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
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

import typer

try:  # typer's coercion layer (0.2x); older releases check options with click alone
    from typer._coercion import RuntimeParam
except ImportError:  # pragma: no cover - depends on the installed typer
    RuntimeParam = object  # type: ignore[assignment,misc]

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
    "light_options",
    "light_param",
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


_PLAIN_PATH = {
    "exists": False, "file_okay": True, "dir_okay": True, "writable": False,
    "readable": True, "resolve_path": False, "allow_dash": False, "path_type": None,
}


def _number(kind: type, value: Any, low: float | None, high: float | None) -> Any:
    """Read an int or a float from an option's text and check its bounds."""
    if isinstance(value, bool):
        raise ValueError(f"Input should be a valid {kind.__name__}")
    try:
        number = kind(value)
    except (TypeError, ValueError):
        what = "an integer" if kind is int else "a number"
        raise ValueError(f"Input should be a valid {what}, unable to parse {value!r}") from None
    if low is not None and number < low:
        raise ValueError(f"Input should be greater than or equal to {low}")
    if high is not None and number > high:
        raise ValueError(f"Input should be less than or equal to {high}")
    return number


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off", ""}


def _flag(value: Any) -> bool:
    """Read a boolean flag's value (a bool, or the text of an environment variable)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"Input should be a valid boolean, unable to interpret {value!r}")


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    """Read an option's value as text, a number or a path, as typer's adapter would."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation = self.annotation
        if get_origin(annotation) is list:
            leaf = get_args(annotation)[0]
            items = value if isinstance(value, list | tuple) else [value]
            return [self._leaf(leaf, item, param, ctx) for item in items]
        return self._leaf(annotation, value, param, ctx)

    def _leaf(self, leaf: type, value: Any, param: Any, ctx: Any) -> Any:
        info = self.parameter_info
        try:
            if leaf is bool:
                return _flag(value)
            if leaf is str:
                return value.decode() if isinstance(value, bytes) else str(value)
            if leaf is Path:
                return value if isinstance(value, Path) else Path(value)
            return _number(leaf, value, info.min, info.max)
        except ValueError as error:
            raise typer.BadParameter(str(error), ctx=ctx, param=param) from None


def _plain_kind(annotation: Any, info: Any) -> bool:
    """Whether :class:`_Plain` reads values of this annotation and settings."""
    leaf = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if getattr(info, "parser", None) is not None or getattr(info, "clamp", False):
        return False
    if leaf is Path:
        return all(getattr(info, name, dflt) == dflt for name, dflt in _PLAIN_PATH.items())
    return leaf in (str, int, float, bool)


def light_param(param: Any) -> None:
    """Have one option of a typer command read its value without pydantic, if plain.

    A typer without the pydantic layer (``typer._coercion``) is left as it is.
    """
    if RuntimeParam is object:
        return
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", True) is not None:
        return
    if _plain_kind(descriptor.annotation, descriptor.parameter_info):
        param._runtime_param = _Plain(descriptor.parameter_info, descriptor.annotation)


def light_options(command: Any, ctx: Any = None) -> Any:
    """Have a typer command (or group) read its plain options without pydantic.

    Parameters
    ----------
    command : click.Command
        What :func:`typer.main.get_command` made; groups are walked.
    ctx : click.Context, optional
        The context the command runs in, to reach its ``--help`` option too.

    Returns
    -------
    click.Command
        The same command.
    """
    for param in getattr(command, "params", ()):
        light_param(param)
    if ctx is not None:
        light_param(command.get_help_option(ctx))
    for sub in getattr(command, "commands", {}).values():
        light_options(sub, ctx)
    return command
