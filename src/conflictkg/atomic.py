r"""Write files atomically, alone or several together.

A reader of the target folder sees either the old file or the complete new
one, never a half-written file: the content goes to a temporary file in the
same folder, which is flushed to disk and then renamed over the target with
:func:`os.replace` (atomic on POSIX when both are on the same file system).

:class:`AtomicOutputs` extends this to several files: every output is staged
first, and only when all were written without error are they renamed into
place.  If anything fails before that, nothing in the target folder is
replaced and every temporary file is removed.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with AtomicOutputs() as outputs:
...     outputs.write_text(folder / "a.txt", "first\n")
...     outputs.write_bytes(folder / "b.bin", b"second")
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.bin']
>>> try:
...     with AtomicOutputs() as outputs:
...         outputs.write_text(folder / "a.txt", "changed")
...         raise RuntimeError("boom")
... except RuntimeError:
...     pass
>>> (folder / "a.txt").read_text()
'first\n'
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.bin']
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = ["AtomicOutputs", "atomic_write", "write_bytes_atomic", "write_text_atomic"]


def _default_mode() -> int:
    """Return the permission bits a newly created file would get (0o666 less umask).

    The umask can only be read by setting it; it is put back at once.  (Another
    thread creating a file in between would see 0o022 for that instant.)
    """
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _stage(target: Path) -> tuple[Path, IO[bytes]]:
    """Create a temporary file beside `target`, with the target's final permissions."""
    folder = target.parent
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
        os.chmod(temp, mode)
        return temp, os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise


def _finish(handle: IO[bytes]) -> None:
    """Flush `handle` to disk and close it."""
    try:
        handle.flush()
        os.fsync(handle.fileno())
    finally:
        handle.close()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a binary file whose content replaces `path` only on success.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.  Its folder must exist.

    Yields
    ------
    typing.IO[bytes]
        A binary file open for writing, in the same folder as `path`.

    Notes
    -----
    If the ``with`` block raises, the temporary file is removed and `path`
    is left as it was.
    """
    target = Path(path)
    temp, handle = _stage(target)
    try:
        yield handle
        _finish(handle)
        os.replace(temp, target)
    except BaseException:
        handle.close()
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically replace `path` with `data`.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; its folder must exist.
    data : bytes
        The new content.
    """
    with atomic_write(path) as handle:
        handle.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Atomically replace `path` with `text` encoded as `encoding` (as write_bytes_atomic)."""
    write_bytes_atomic(path, text.encode(encoding))


class AtomicOutputs:
    """Stage several output files and put them all in place together.

    Use it as a context manager.  Files written through it go to temporary
    files beside their targets; on a clean exit of the ``with`` block all of
    them are renamed over their targets, on an error none is and the
    temporary files are removed.  Folders it had to create are removed again
    on failure when they are left empty.

    Notes
    -----
    Each rename is atomic, the set of renames is not: if a rename itself fails
    (rare: the target turned into a folder, the disk vanished), the targets
    already replaced are restored from backups taken just before, so the
    folder ends as it started as far as the file system allows.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}
        self._created_dirs: list[Path] = []
        self._closed = False

    def __enter__(self) -> AtomicOutputs:
        """Start staging outputs."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit the staged outputs, or discard them if the block raised."""
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def _ensure_dir(self, folder: Path) -> None:
        missing = []
        current = folder
        while not current.exists():
            missing.append(current)
            current = current.parent
        folder.mkdir(parents=True, exist_ok=True)
        self._created_dirs.extend(missing)

    @contextlib.contextmanager
    def open(self, path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
        """Open a staged binary output for `path`.

        Parameters
        ----------
        path : str or os.PathLike
            Final location of the file; missing folders are created.

        Yields
        ------
        typing.IO[bytes]
            The temporary file to write to.
        """
        if self._closed:
            raise RuntimeError("these outputs were already committed or discarded")
        target = Path(path).absolute()
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a directory")
        self._ensure_dir(target.parent)
        previous = self._staged.pop(target, None)
        if previous is not None:
            previous.unlink(missing_ok=True)
        temp, handle = _stage(target)
        self._staged[target] = temp
        try:
            yield handle
            _finish(handle)
        except BaseException:
            # A failed output is dropped, so a caller that swallows the error
            # cannot commit a half-written file.
            handle.close()
            temp.unlink(missing_ok=True)
            self._staged.pop(target, None)
            raise

    def write_bytes(self, path: str | os.PathLike[str], data: bytes) -> None:
        """Stage `data` as the new content of `path`.

        Parameters
        ----------
        path : str or os.PathLike
            Final location of the file.
        data : bytes
            The content.
        """
        with self.open(path) as handle:
            handle.write(data)

    def write_text(self, path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
        """Stage `text` as the new content of `path`.

        Parameters
        ----------
        path : str or os.PathLike
            Final location of the file.
        text : str
            The content.
        encoding : str, default "utf-8"
            Text encoding.
        """
        self.write_bytes(path, text.encode(encoding))

    @property
    def targets(self) -> list[Path]:
        """The files staged so far, in staging order (list of pathlib.Path)."""
        return list(self._staged)

    def discard(self) -> None:
        """Remove every staged temporary file and leave all targets untouched."""
        for temp in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()
        for folder in sorted(self._created_dirs, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds when empty
        self._created_dirs.clear()
        self._closed = True

    def commit(self) -> None:
        """Rename every staged file over its target.

        Raises
        ------
        OSError
            If a rename fails; the targets are then restored (see class notes).
        """
        if self._closed:
            raise RuntimeError("these outputs were already committed or discarded")
        backups: dict[Path, Path | None] = {}
        done: list[Path] = []
        try:
            for target in self._staged:
                backups[target] = self._backup(target)
            for target, temp in self._staged.items():
                os.replace(temp, target)
                done.append(target)
        except BaseException:
            for target in done:
                backup = backups.get(target)
                with contextlib.suppress(OSError):
                    if backup is None:
                        target.unlink()
                    else:
                        os.replace(backup, target)
            for backup in backups.values():
                if backup is not None:
                    backup.unlink(missing_ok=True)
            self.discard()
            raise
        for backup in backups.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
        for folder in {target.parent for target in self._staged}:
            _fsync_dir(folder)
        self._staged.clear()
        self._created_dirs.clear()
        self._closed = True

    @staticmethod
    def _backup(target: Path) -> Path | None:
        """Keep the current content of `target` under a temporary name, if it exists."""
        if not target.exists():
            return None
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".bak")
        os.close(fd)
        backup = Path(name)
        backup.unlink()
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
        return backup

    def __del__(self) -> None:
        """Remove leftover temporary files if the object was never closed."""
        if not getattr(self, "_closed", True):
            for temp in self._staged.values():
                with contextlib.suppress(OSError):
                    temp.unlink()
