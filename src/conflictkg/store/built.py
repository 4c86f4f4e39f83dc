"""The built store: where ``conflictkg build`` puts the graph and every other command reads it.

Layout of an output folder (``out/`` by default)::

    out/store              symbolic link to the published build, replaced atomically
    out/.stores/<id>/      one build: data/ (Oxigraph), closure/ (Oxigraph, data plus its
                           RDFS closure) and manifest.json (inputs and figures)
    out/graph.ttl, graph.nt

A build writes a new ``.stores/<id>/`` (a copy of the published one made of hard links when
only some files changed), under a lock on the output folder (``flock``; the process
holding it is named in ``.stores/.building``), and only when it is complete and valid
does it swap the
``store`` link, with one ``rename``. A reader that opened the old store keeps it until it
closes it: the previous build is kept on disk, older ones are removed by the next build.

Readers open the store read-only and check that its inputs are the files as they are now
(:class:`BuiltStore.check_fresh`): a stale store is never used silently.

Examples
--------
>>> import tempfile
>>> BuiltStore.open(tempfile.mkdtemp())
Traceback (most recent call last):
...
conflictkg.errors.NoStoreError: no graph has been built in ... yet: run conflictkg build
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from conflictkg.errors import NoStoreError, StaleStoreError, StoreError
from conflictkg.store.manifest import MANIFEST_NAME, Manifest, changed_inputs

__all__ = ["STORE_LINK", "STORES_FOLDER", "BuiltStore"]

#: Name of the link to the published build inside the output folder.
STORE_LINK = "store"
#: Folder of the builds inside the output folder.
STORES_FOLDER = ".stores"


class BuiltStore:
    """A published build, opened read-only.

    Parameters
    ----------
    folder : pathlib.Path
        The build's folder (``out/.stores/<id>``).
    manifest : Manifest
        What it was built from.

    Attributes
    ----------
    folder : pathlib.Path
    manifest : Manifest
    """

    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder = folder
        self.manifest = manifest
        self._stores: dict[tuple[str, int], ox.Store] = {}

    @classmethod
    def open(cls, out_dir: str | os.PathLike[str]) -> BuiltStore:
        """Open the store published in `out_dir`.

        Parameters
        ----------
        out_dir : str or os.PathLike
            The output folder of ``conflictkg build``.

        Returns
        -------
        BuiltStore

        Raises
        ------
        NoStoreError
            If nothing has been built there.
        StoreError
            If the store is damaged (no manifest, or one of another layout).
        """
        out = Path(out_dir)
        link = out / STORE_LINK
        if not link.exists():
            raise NoStoreError(f"no graph has been built in {out} yet: run conflictkg build")
        folder = link.resolve()
        try:
            text = (folder / MANIFEST_NAME).read_text(encoding="utf-8")
        except OSError as error:
            raise StoreError(
                f"{link} has no readable manifest ({error.strerror}): run conflictkg build"
            ) from None
        manifest = Manifest.from_json(text)
        if manifest is None:
            raise StoreError(
                f"{link} was built by another version of conflictkg: run conflictkg build"
            )
        return cls(folder, manifest)

    def stale(self, current: Mapping[str, Path]) -> list[str]:
        """List what changed between the store's inputs and `current` (empty: up to date).

        Parameters
        ----------
        current : mapping of str to pathlib.Path
            The inputs a build would read now, by key.

        Returns
        -------
        list of str
            One sentence per changed, added or removed file.
        """
        return changed_inputs(self.manifest, current)

    def check_fresh(self, current: Mapping[str, Path]) -> None:
        """Refuse a stale store, naming what changed.

        Parameters
        ----------
        current : mapping of str to pathlib.Path
            The inputs a build would read now, by key.

        Raises
        ------
        StaleStoreError
            If a file changed, appeared or disappeared since the build.
        """
        changed = self.stale(current)
        if changed:
            shown = "; ".join(changed[:5])
            if len(changed) > 5:
                shown += f"; and {len(changed) - 5} more"
            raise StaleStoreError(
                f"the graph in {self.folder.parent.parent} is older than its files ({shown}): "
                "run conflictkg build (or add --rebuild)",
                tuple(changed),
            )

    def path(self, *, reasoning: str | None = None) -> Path:
        """Return the folder of the data store, or of the closure store for ``rdfs``."""
        if reasoning not in (None, "none", "rdfs"):
            raise StoreError(f"unknown reasoning {reasoning!r}; expected rdfs")
        return self.folder / ("closure" if reasoning == "rdfs" else "data")

    def store(self, *, reasoning: str | None = None) -> ox.Store:
        """Return the data store (or the closure store), opened read-only.

        A store is opened once per process: a forked query worker opens its own.
        """
        key = ("closure" if reasoning == "rdfs" else "data", os.getpid())
        found = self._stores.get(key)
        if found is None and reasoning == "rdfs" and not self.path(reasoning="rdfs").exists():
            self._make_closure()
        if found is None:
            try:
                found = ox.Store.read_only(str(self.path(reasoning=reasoning)))
            except OSError as error:
                raise StoreError(
                    f"cannot open the store {self.path(reasoning=reasoning)}: {error}; "
                    "run conflictkg build"
                ) from None
            self._stores[key] = found
        return found

    def _make_closure(self) -> None:
        """Make the closure store of this build, once.

        A copy of the data store plus the triples RDFS derives from it
        (:mod:`conflictkg.store.closure`).
        Made on first use, not by every build: most commands never ask for it.  Writers
        are kept apart by the output folder's lock; the copy is renamed into place whole.
        """
        import fcntl
        import shutil

        from conflictkg.store.closure import add_rdfs_closure

        target = self.path(reasoning="rdfs")
        lock = os.open(self.folder.parent.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # wait for a build that holds the folder
            if target.exists():
                return
            staged = target.with_name(f"closure.{os.getpid()}.tmp")
            shutil.rmtree(staged, ignore_errors=True)
            try:
                self.store().backup(str(staged))
                writable = ox.Store(str(staged))
                add_rdfs_closure(writable)
                writable.flush()
                del writable
                os.replace(staged, target)
            except OSError as error:
                shutil.rmtree(staged, ignore_errors=True)
                raise StoreError(
                    f"cannot make the RDFS closure of {self.folder}: {error}"
                ) from None
        finally:
            os.close(lock)

    def query(self, text: str, **options) -> object:
        """Run a SPARQL query on the data store's union of graphs (see ``pyoxigraph.Store``)."""
        return self.store().query(text, use_default_graph_as_union=True, **options)

    def __len__(self) -> int:
        """Return the number of triples of the data store, as the build counted them."""
        return self.manifest.triples
