"""Every error conflictkg raises on purpose, and the exit code each one means.

One base class, :class:`ConflictKGError`, carries an :attr:`~ConflictKGError.exit_code`;
the command line (:mod:`conflictkg.cli.app`) prints the message of any such error and
exits with its code, so a command never picks a code itself.  The codes are declared once,
in :class:`ExitCode`:

=====  ======================  ===============================================================
code   name                    meaning
=====  ======================  ===============================================================
0      ``OK``                  success
1      ``FAILED``              the data fails a check, or there is no answer in the data
2      ``BAD_INPUT``           bad input or usage: a malformed file, an unknown option value...
3      ``INTERNAL``            a bug in conflictkg (anything that is not a ConflictKGError)
130    ``INTERRUPTED``         stopped by Ctrl-C
=====  ======================  ===============================================================

Errors that callers used to catch as built-in exceptions still are: a
:class:`DataNotFoundError` is a :class:`FileNotFoundError`, :class:`UsageError` and
:class:`EmptyProjectionError` are kinds of :class:`ValueError`, the label errors kinds of
:class:`LookupError`, and :class:`UnknownFormatError` is a :class:`KeyError`.

Examples
--------
>>> error = QuerySyntaxError("<query>:1:8: SPARQL syntax error")
>>> isinstance(error, QueryError), error.exit_code
(True, <ExitCode.BAD_INPUT: 2>)
>>> EmptyProjectionError("the actors view is empty").exit_code == ExitCode.FAILED
True
>>> str(InputError("data/a.ttl", "A dot is expected", line=3, column=9))
'data/a.ttl:3:9: A dot is expected'
"""

from __future__ import annotations

import os
from enum import IntEnum
from typing import Any

__all__ = [
    "AmbiguousLabelError",
    "AuthError",
    "CardError",
    "CheckFailedError",
    "ConflictKGError",
    "DataNotFoundError",
    "EmptyProjectionError",
    "EndpointError",
    "ExitCode",
    "ExportDataError",
    "ExportError",
    "InputError",
    "InterruptedByUserError",
    "NetworkRefusedError",
    "NoPathError",
    "OutputError",
    "NoStoreError",
    "ParameterError",
    "PortBusyError",
    "PushError",
    "QueryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ResolutionError",
    "ServeError",
    "ServerStoppedError",
    "ShapesError",
    "StaleStoreError",
    "StoreError",
    "StoreLockedError",
    "StoreUnreachableError",
    "UnknownFormatError",
    "UnknownLabelError",
    "UnknownQueryError",
    "UnknownStatusError",
    "UsageError",
    "ValidationFailedError",
]


class ExitCode(IntEnum):
    """Exit codes of the ``conflictkg`` command line."""

    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130


class ConflictKGError(Exception):
    """The base of every error conflictkg raises on purpose.

    Parameters
    ----------
    message : str
        What is wrong, and where when known.

    Attributes
    ----------
    exit_code : ExitCode
        The command line's exit code for this error (class attribute).
    message : str
        The message.
    """

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *args: Any) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        """Return the message alone."""
        return self.message

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle by arguments, so that errors cross from a worker process."""
        return (type(self), self.args)


class CheckFailedError(ConflictKGError):
    """The data fails a check, or holds no answer to the question (exit code 1)."""

    exit_code = ExitCode.FAILED


class UsageError(ConflictKGError, ValueError):
    """An option or argument value that cannot be used (exit code 2)."""


class InterruptedByUserError(ConflictKGError):
    """The user stopped the command (Ctrl-C); the message says what was left as it was."""

    exit_code = ExitCode.INTERRUPTED


# --- data files -------------------------------------------------------------------------


class DataNotFoundError(ConflictKGError, FileNotFoundError):
    """A data folder is neither in the package nor in a checkout."""


class InputError(ConflictKGError):
    """A file that cannot be loaded: missing, unreadable, empty or malformed.

    Parameters
    ----------
    path : str or os.PathLike
        The file concerned, as the user named it.
    message : str
        What is wrong, without the position.
    line, column : int, optional
        1-based position of the error in the file, when known.

    Attributes
    ----------
    path : str
        The file concerned.
    message : str
        What is wrong.
    line, column : int or None
        Position of the error, or ``None`` when unknown.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = os.fspath(path)
        self.line = line
        self.column = column

    def __str__(self) -> str:
        """Format as ``path:line:col: message``, leaving out unknown parts."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle with the position (which is keyword-only)."""
        return (_input_error, (self.path, self.message, self.line, self.column))


def _input_error(path: str, message: str, line: int | None, column: int | None) -> InputError:
    """Rebuild an :class:`InputError` (its position is keyword-only)."""
    return InputError(path, message, line=line, column=column)


class CardError(InputError):
    """A report card with mistakes: each one at its ``line:column`` (exit code 2).

    Parameters
    ----------
    path : str or os.PathLike
        The card.
    problems : list of (line, column, message)
        Every mistake found, in the card's order; line and column may be ``None``.

    Examples
    --------
    >>> print(CardError("a.card.yaml", [(3, 5, "unknown key 'plase'")]))
    a.card.yaml:3:5: unknown key 'plase'
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        problems: list[tuple[int | None, int | None, str]],
    ) -> None:
        line, column, message = problems[0]
        super().__init__(path, message, line=line, column=column)
        self.problems = list(problems)

    def __str__(self) -> str:
        """One ``path:line:col: message`` line per problem."""
        return "\n".join(
            str(InputError(self.path, message, line=line, column=column))
            for line, column, message in self.problems
        )


class ShapesError(ConflictKGError):
    """The shapes themselves could not be used (pySHACL refused them)."""


class ValidationFailedError(CheckFailedError):
    """The ontology or the data fails its shapes (raised where nothing may go on).

    Parameters
    ----------
    result : conflictkg.pipeline.BuildResult
        The build, with its violations.
    """

    def __init__(self, result: Any) -> None:
        failures = sum(
            1
            for item in (*result.violations, *result.ontology_violations)
            if item.severity == "Violation"
        )
        super().__init__(
            f"the graph fails validation with {failures} violation(s); "
            "run `conflictkg build` to see them"
        )
        self.result = result

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle with the build result."""
        return (type(self), (self.result,))


# --- queries ----------------------------------------------------------------------------


class QueryError(ConflictKGError):
    """A query that cannot be run as asked: bad input or usage (exit code 2)."""


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL; the message starts with ``source:line:col``."""


class NetworkRefusedError(QueryError):
    """The query would reach the network (SERVICE, FROM, LOAD) and that is not allowed."""


class ParameterError(QueryError):
    """A ``--param`` that cannot be used: unknown name, bad value, unknown or ambiguous label."""


class UnknownQueryError(QueryError):
    """No library question, check or file has that name."""


class EndpointError(QueryError):
    """A remote endpoint could not be reached or refused the query."""


class QueryTimeoutError(QueryError):
    """The query ran longer than its time limit and its worker process was killed.

    Parameters
    ----------
    message : str
        What happened.
    worker_pid : int, optional
        Process id of the killed worker.
    """

    def __init__(self, message: str, worker_pid: int | None = None) -> None:
        super().__init__(message, worker_pid)
        self.worker_pid = worker_pid


# --- labels, views and analyses -----------------------------------------------------------


class ResolutionError(ConflictKGError, LookupError):
    """A label names no entity, or more than one; ``candidates`` lists what it might mean.

    ``outside`` is true when the candidates exist in the graph but not among the entities
    analysed (another view may hold them).
    """

    def __init__(
        self, message: str, text: str, candidates: list[Any], *, outside: bool = False
    ) -> None:
        super().__init__(message, text, candidates)
        self.text = text
        self.candidates = candidates
        self.outside = outside


class UnknownLabelError(ResolutionError):
    """No entity (in the view) has this label."""


class AmbiguousLabelError(ResolutionError):
    """Several entities have this label."""


class UnknownStatusError(ConflictKGError, LookupError):
    """An assertion status that the code list does not define."""


class EmptyProjectionError(CheckFailedError, ValueError):
    """A projection has no nodes; the message says which filters emptied it."""


class NoPathError(CheckFailedError, LookupError):
    """The two entities are not connected in the view (the message says why)."""


# --- outputs and exports -------------------------------------------------------------------


class OutputError(ConflictKGError, OSError):
    """An output file cannot be written: the message names it and says why in words."""



class ExportError(ConflictKGError):
    """An export that cannot be made as asked: a missing program, a graph too large to draw."""


class ExportDataError(ExportError):
    """The data cannot be written in the format: the message names the node at fault."""

    exit_code = ExitCode.FAILED


class UnknownFormatError(ConflictKGError, KeyError):
    """No exporter is registered under the name asked for."""


# --- serving and pushing -------------------------------------------------------------------


class ServeError(ConflictKGError):
    """The server cannot be started, or it stopped on its own."""


class PortBusyError(ServeError):
    """The address and port to listen on are already taken."""


class ServerStoppedError(ServeError):
    """The server stopped on its own, and its supervisor gave up restarting it."""

    exit_code = ExitCode.FAILED


class PushError(ConflictKGError):
    """The store refused or failed a request; the target graph is unchanged.

    Unless the message says otherwise (a failure after the final ``MOVE``).
    """


class AuthError(PushError):
    """The store asks for credentials that were not given, or refuses them."""


class StoreUnreachableError(PushError):
    """Nothing answers at an endpoint (refused, reset, timed out, unknown host)."""


# --- the built store ----------------------------------------------------------------------


class StoreError(ConflictKGError):
    """The built store cannot be used: missing, stale, locked or damaged (exit code 2)."""


class NoStoreError(StoreError):
    """No store has been built in the output folder yet."""


class StaleStoreError(StoreError):
    """Input files changed since the store was built; the message names them.

    Attributes
    ----------
    changed : tuple of str
        The files added, changed or removed since the build.
    """

    def __init__(self, message: str, changed: tuple[str, ...] = ()) -> None:
        super().__init__(message, changed)
        self.changed = changed


class StoreLockedError(StoreError):
    """Another build holds the output folder."""
