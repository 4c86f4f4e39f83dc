"""Atomic writes: one file, and several files that are replaced together or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from conflictkg import atomic
from conflictkg.atomic import AtomicOutputs, atomic_write, write_bytes_atomic, write_text_atomic
from conflictkg.errors import OutputError


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_single_write_replaces_content(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert _listing(tmp_path) == ["graph.ttl"]


def test_single_write_failure_keeps_old_content(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write(b"half a fi")
        raise RuntimeError("disk on fire")
    assert target.read_text() == "old"
    assert _listing(tmp_path) == ["graph.ttl"]


def test_new_file_gets_umask_permissions_and_existing_keeps_its_own(tmp_path):
    fresh = tmp_path / "fresh.nt"
    write_bytes_atomic(fresh, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask

    kept = tmp_path / "kept.nt"
    kept.write_bytes(b"x")
    kept.chmod(0o640)
    write_bytes_atomic(kept, b"y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_all_outputs_are_replaced_together(tmp_path):
    (tmp_path / "graph.ttl").write_text("old ttl")
    with AtomicOutputs() as outputs:
        outputs.write_text(tmp_path / "graph.ttl", "new ttl")
        outputs.write_text(tmp_path / "graph.nt", "new nt")
        # nothing is in place before the block ends
        assert (tmp_path / "graph.ttl").read_text() == "old ttl"
        assert not (tmp_path / "graph.nt").exists()
    assert (tmp_path / "graph.ttl").read_text() == "new ttl"
    assert (tmp_path / "graph.nt").read_text() == "new nt"
    assert _listing(tmp_path) == ["graph.nt", "graph.ttl"]


def test_failing_multi_file_write_replaces_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old ttl")
    (out / "graph.nt").write_text("old nt")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}

    def serialise_nt():
        raise ValueError("serialiser failed")

    with pytest.raises(ValueError), AtomicOutputs() as outputs:
        outputs.write_text(out / "graph.ttl", "new ttl")
        outputs.write_text(out / "graph.nt", serialise_nt())

    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    assert after == before  # same files, same content, untouched; no temporary files left


def test_failure_inside_an_open_output_replaces_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("old a")
    with pytest.raises(OSError), AtomicOutputs() as outputs:
        outputs.write_text(tmp_path / "b.txt", "new b")
        with outputs.open(tmp_path / "a.txt") as handle:
            handle.write(b"partial")
            raise OSError("no space left")
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert _listing(tmp_path) == ["a.txt"]


def test_failure_removes_folders_it_created(tmp_path):
    target = tmp_path / "new" / "deeper" / "graph.ttl"
    with pytest.raises(RuntimeError), AtomicOutputs() as outputs:
        outputs.write_text(target, "x")
        raise RuntimeError("stop")
    assert _listing(tmp_path) == []


def test_failed_rename_during_commit_restores_earlier_targets(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("old a")
    (tmp_path / "b.txt").write_text("old b")
    real_replace = os.replace
    calls = []

    def flaky_replace(source, target):
        calls.append(target)
        if len(calls) == 2:  # the second rename of the commit fails
            raise OSError("device vanished")
        return real_replace(source, target)

    with pytest.raises(OSError, match="device vanished"):
        with AtomicOutputs() as outputs:
            outputs.write_text(tmp_path / "a.txt", "new a")
            outputs.write_text(tmp_path / "b.txt", "new b")
            monkeypatch.setattr(atomic.os, "replace", flaky_replace)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert (tmp_path / "a.txt").read_text() == "old a"
    assert (tmp_path / "b.txt").read_text() == "old b"
    assert _listing(tmp_path) == ["a.txt", "b.txt"]


def test_outputs_cannot_be_reused(tmp_path):
    outputs = AtomicOutputs()
    with outputs:
        outputs.write_text(tmp_path / "a.txt", "a")
    with pytest.raises(RuntimeError):
        outputs.write_text(tmp_path / "b.txt", "b")


def test_directory_target_is_refused(tmp_path):
    (tmp_path / "graph.ttl").mkdir()
    with pytest.raises(OutputError, match="it is a folder"), AtomicOutputs() as outputs:
        outputs.write_text(tmp_path / "graph.ttl", "x")
    assert _listing(tmp_path) == ["graph.ttl"]


@pytest.mark.parametrize("kernel", [True, False], ids=["copy_file_range", "chunks"])
def test_append_file_keeps_the_order_of_what_is_written(tmp_path, monkeypatch, kernel):
    """Parts appended by the kernel or in chunks sit where they were appended, and what is
    written after them follows them."""
    import errno

    from conflictkg.atomic import append_file

    if not kernel:
        def refuse(*_args, **_kwargs):
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", refuse)
    part = tmp_path / "part.nt"
    part.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n" * 50_000)
    whole = tmp_path / "whole.nt"
    with whole.open("wb") as handle:
        handle.write(b"# head\n")
        append_file(part, handle)
        handle.write(b"# middle\n")
        append_file(part, handle)
        assert handle.tell() == 7 + 9 + 2 * part.stat().st_size
        handle.write(b"# end\n")
    body = part.read_bytes()
    assert whole.read_bytes() == b"# head\n" + body + b"# middle\n" + body + b"# end\n"


def test_append_file_says_why_it_cannot_read(tmp_path):
    from conflictkg.atomic import append_file

    with (tmp_path / "whole").open("wb") as handle, pytest.raises(FileNotFoundError):
        append_file(tmp_path / "missing", handle)
