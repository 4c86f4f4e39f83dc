r"""Reading a dataset's CSV export, with errors that name the file, the row and the column.

A dataset file is refused, before anything is written, when it is empty, is not UTF-8,
uses another delimiter than the comma, lacks a column of its layout or has one the layout
does not know, or when a value cannot be read as its column's type.  Rows that break the
dataset's own rules (a low estimate above the best one) are read as they are: the import
keeps them and the validation flags them.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "a.csv").write_text("id;name\n1;x\n", encoding="utf-8")
12
>>> try:
...     next(read_rows(folder / "a.csv", [("id", "name")]))
... except InputError as error:
...     print(str(error).split(": ", 1)[1])
the header is a single column: the file seems to use ';' between columns, not ','
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from conflictkg.errors import InputError

__all__ = ["Row", "file_sha256", "read_rows"]

csv.field_size_limit(1 << 24)


class Row(dict):
    """One data row: its values by column, with where it stands in the file.

    Attributes
    ----------
    number : int
        The row's number among the data rows (1 for the first row after the header).
    line : int
        The file's line on which the row ends.
    path : str
        The file, as the user named it.
    """

    __slots__ = ("line", "number", "path")

    def fail(self, column: str, message: str) -> InputError:
        """Return an error about one value of this row, naming the row and the column."""
        return InputError(
            self.path, f"row {self.number}, column {column!r}: {message}", line=self.line
        )

    def integer(self, column: str, *, empty: bool = False) -> int | None:
        """Read a whole number (``12`` or ``12.0``); an empty field is refused unless `empty`."""
        text = self[column].strip()
        if not text:
            if empty:
                return None
            raise self.fail(column, "a whole number is expected, the field is empty")
        try:
            value = float(text)
        except ValueError:
            raise self.fail(column, f"a whole number is expected, not {text!r}") from None
        if value != int(value):
            raise self.fail(column, f"a whole number is expected, not {text!r}")
        return int(value)

    def decimal(self, column: str) -> float | None:
        """Read a decimal number (coordinates); an empty field gives ``None``."""
        text = self[column].strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise self.fail(column, f"a number is expected, not {text!r}") from None

    def date(self, column: str) -> str:
        """Read a date as ``YYYY-MM-DD`` (a time of day after it is dropped when 00:00:00)."""
        text = self[column].strip()
        day = text[:10]
        rest = text[10:].strip()
        ok = (
            len(day) == 10
            and day[4] == "-"
            and day[7] == "-"
            and day[:4].isdigit()
            and day[5:7].isdigit()
            and day[8:].isdigit()
            and rest in ("", "00:00:00", "T00:00:00", "00:00:00.000")
        )
        if ok:
            try:
                datetime.date.fromisoformat(day)
            except ValueError:
                ok = False
        if not ok:
            raise self.fail(column, f"a date YYYY-MM-DD is expected, not {text!r}")
        return day


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Return the SHA-256 digest of a file, in hexadecimal."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _header_problem(shown: str, header: list[str], layouts: Sequence[Sequence[str]]) -> str:
    """Say why a header fits none of the layouts (missing and unknown columns)."""
    given = set(header)
    best = min(layouts, key=lambda names: len(set(names) ^ given))
    missing = [name for name in best if name not in given]
    unknown = [name for name in header if name not in set(best)]
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(repr(n) for n in missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(repr(n) for n in unknown))
    return "; ".join(parts) + f" (the layout has {len(best)} columns: {', '.join(best)})"


def read_rows(
    path: str | os.PathLike[str],
    layouts: Sequence[Sequence[str]],
    *,
    tag_row: bool = False,
) -> Iterator[Row]:
    """Read a CSV file whose header is one of `layouts`, row by row.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    layouts : sequence of sequence of str
        The column lists the file may have (in any order).
    tag_row : bool, default False
        Skip a second line of HXL hashtags (``#date``, ``#adm1``...) when there is one.

    Yields
    ------
    Row
        Each data row; the first value yielded is preceded by no other output, so a bad
        header fails before anything is done.

    Raises
    ------
    InputError
        For a missing, empty or unreadable file, a file that is not UTF-8, another
        delimiter, missing or unknown columns, a row with too many or too few fields, or
        a file with a header and no rows.
    """
    shown = os.fspath(path)
    file = Path(path)
    if not file.is_file():
        raise InputError(shown, "no such file")
    if file.stat().st_size == 0:
        raise InputError(shown, "file is empty (0 bytes)")
    with open(file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        rows = 0
        try:
            header = next(reader, None)
            if not header or not any(header):
                raise InputError(
                    shown, "the first line is empty: a header of column names is expected", line=1
                )
            header = [name.strip() for name in header]
            if len(header) == 1:
                for sign, name in ((";", "';'"), ("\t", "tabs"), ("|", "'|'")):
                    if sign in header[0]:
                        raise InputError(
                            shown,
                            f"the header is a single column: the file seems to use "
                            f"{name} between columns, not ','",
                            line=1,
                        )
            if not any(set(header) == set(names) for names in layouts):
                raise InputError(shown, _header_problem(shown, header, layouts), line=1)
            width = len(header)
            for values in reader:
                if not values:
                    continue
                if tag_row and rows == 0 and reader.line_num == 2 and values[0].startswith("#"):
                    continue
                rows += 1
                if len(values) != width:
                    raise InputError(
                        shown,
                        f"row {rows} has {len(values)} fields, the header {width}",
                        line=reader.line_num,
                    )
                row = Row(zip(header, values, strict=True))
                row.number = rows
                row.line = reader.line_num
                row.path = shown
                yield row
        except UnicodeDecodeError as error:
            line = reader.line_num + 1
            raise InputError(
                shown,
                f"not UTF-8 text (byte 0x{error.object[error.start]:02x} "
                "cannot be decoded): save the file as UTF-8",
                line=line,
            ) from None
        except csv.Error as error:
            raise InputError(shown, f"malformed CSV: {error}", line=reader.line_num) from None
    if rows == 0:
        raise InputError(shown, "the file has a header but no rows")
