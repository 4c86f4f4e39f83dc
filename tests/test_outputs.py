"""`-o` never replaces what it should not: symbolic links, devices, FIFOs, standard
output, folders; temporary files of killed writers are cleaned; write errors name the
target in words.

Each row of CASES is one probe: what the output path is, how it is written (the
atomic writer alone, the staged outputs of a multi-file export, or the CLI), and what
must hold afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from conftest import REPO

from conflictkg import atomic
from conflictkg.atomic import AtomicOutputs, clean_stale_temporaries, write_text_atomic
from conflictkg.cli import EXIT_BAD_INPUT, app
from conflictkg.errors import OutputError

CONFLICTKG = Path(sys.executable).parent / "conflictkg"


def _single(path: Path, text: str) -> None:
    write_text_atomic(path, text)


def _staged(path: Path, text: str) -> None:
    with AtomicOutputs() as outputs:
        outputs.write_text(path, text)


WRITERS = {"atomic_write": _single, "AtomicOutputs": _staged}


@pytest.mark.parametrize("writer", WRITERS)
def test_symlink_is_followed_and_kept(tmp_path, writer):
    real = tmp_path / "real" / "graph.ttl"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "graph.ttl"
    link.symlink_to(real)
    WRITERS[writer](link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["graph.ttl"]  # no leftovers


@pytest.mark.parametrize("writer", WRITERS)
def test_dangling_symlink_creates_its_target(tmp_path, writer):
    link = tmp_path / "graph.ttl"
    link.symlink_to(tmp_path / "made.ttl")
    WRITERS[writer](link, "new")
    assert link.is_symlink() and (tmp_path / "made.ttl").read_text() == "new"


@pytest.mark.parametrize("writer", WRITERS)
def test_device_is_written_not_replaced(writer):
    WRITERS[writer](Path("/dev/null"), "nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("writer", WRITERS)
def test_full_device_is_an_error_naming_it(writer):
    with pytest.raises(OutputError, match=r"^cannot write /dev/full: the disk or device is full$"):
        WRITERS[writer](Path("/dev/full"), "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("writer", WRITERS)
def test_fifo_is_streamed_into(tmp_path, writer):
    fifo = tmp_path / "x.ttl"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    WRITERS[writer](fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("writer", WRITERS)
def test_folder_is_refused(tmp_path, writer):
    with pytest.raises(OutputError, match="it is a folder; give a file name"):
        WRITERS[writer](tmp_path, "x")
    assert tmp_path.is_dir()


@pytest.mark.parametrize("writer", WRITERS)
def test_symlink_loop_is_refused(tmp_path, writer):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OutputError, match="loop of symbolic links"):
        WRITERS[writer](tmp_path / "a", "x")


@pytest.mark.parametrize("writer", WRITERS)
def test_write_error_names_the_target_not_the_temporary(tmp_path, writer):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "graph.ttl").write_text("old")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        with pytest.raises(OutputError) as caught:
            WRITERS[writer](folder / "graph.ttl", "new")
    finally:
        folder.chmod(0o700)
    message = str(caught.value)
    assert message == f"cannot write {folder / 'graph.ttl'}: permission denied: you may not " \
        "write there"
    assert ".tmp" not in message and "Errno" not in message
    assert (folder / "graph.ttl").read_text() == "old"


_LIMITED_WRITER = textwrap.dedent(
    """
    import resource, signal, sys
    from conflictkg.atomic import AtomicOutputs, write_text_atomic
    from conflictkg.errors import OutputError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))
    try:
        if sys.argv[2] == "atomic_write":
            write_text_atomic(sys.argv[1], "x" * 100_000)
        else:
            with AtomicOutputs() as outputs:
                outputs.write_text(sys.argv[1], "x" * 100_000)
    except OutputError as error:
        print(error)
    """
)


@pytest.mark.parametrize("writer", WRITERS)
def test_file_size_limit_error_names_the_target(tmp_path, writer):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED_WRITER, str(target), writer],
        capture_output=True, text=True, timeout=60,
    )
    assert done.stdout == f"cannot write {target}: the file is too large for the file system\n"
    assert "Traceback" not in done.stderr
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


_KILLED_WRITER = textwrap.dedent(
    """
    import os, sys
    from conflictkg.atomic import atomic_write
    with atomic_write(sys.argv[1]) as handle:
        handle.write(b"x" * 1_000_000)
        handle.flush()
        print("writing", flush=True)
        sys.stdin.read()   # wait to be killed
    """
)


def test_temporaries_of_a_killed_writer_are_cleaned(tmp_path, monkeypatch):
    target = tmp_path / "graph.nt"
    target.write_text("old")
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert writer.stdout is not None and writer.stdout.readline() == b"writing\n"
    monkeypatch.setattr(atomic, "STALE_AFTER", 0.0)
    # while the writer lives, its temporary file is locked and kept
    assert clean_stale_temporaries(target) == []
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    leftovers = list(tmp_path.glob(".graph.nt.*.tmp"))
    assert len(leftovers) == 1
    write_text_atomic(target, "new")  # the next write of the same file cleans up
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt"]
    assert target.read_text() == "new"


def test_recent_temporaries_are_kept(tmp_path):
    target = tmp_path / "graph.nt"
    young = tmp_path / ".graph.nt.abcd.tmp"
    young.write_text("being made by someone")
    assert clean_stale_temporaries(target) == []  # too young to be a leftover
    assert young.exists()


# --- through the command line ----------------------------------------------------------


def test_export_to_a_folder_is_refused(built_project, runner, tmp_path):
    result = runner.invoke(app, ["export", "-f", "ntriples", "-o", str(tmp_path)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"{tmp_path} is a folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_export_to_a_full_device(built_project, runner):
    result = runner.invoke(app, ["export", "-f", "ntriples", "-o", "/dev/full"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "cannot write /dev/full: the disk or device is full" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_to_standard_output_through_a_pipe(built_project, tmp_path):
    done = subprocess.run(
        [str(CONFLICTKG), "export", "-f", "ntriples", "-o", "/dev/stdout"],
        capture_output=True, cwd=REPO, timeout=120,
        env={**os.environ, "CONFLICTKG_STORE": str(built_project)},
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert b"<https://w3id.org/conflictkg/id/jnim>" in done.stdout


def test_export_through_a_symlink(built_project, runner, tmp_path):
    real = tmp_path / "real.nt"
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    result = runner.invoke(app, ["export", "-f", "ntriples", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and b"jnim" in real.read_bytes()


# --- text that XML cannot carry ------------------------------------------------------------


@pytest.fixture(scope="module")
def bell_graph():
    """The project with one label holding a BEL (U+0007), loaded without validation."""
    from conflictkg import resources
    from conflictkg.rdf.loading import load_files

    invalid = REPO / "tests" / "data" / "invalid" / "label-with-control-character.ttl"
    return load_files([*resources.ontology_files(), *resources.graph_files(), invalid])


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "svg"])
def test_writers_keep_xml_well_formed_and_mark_control_characters(bell_graph, fmt):
    from lxml import etree

    from conflictkg.exporters import export

    if fmt == "svg" and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    written = export(bell_graph, fmt, view="full")
    assert isinstance(written, bytes)
    etree.fromstring(written)  # raises on ill-formed XML
    text = written.decode("utf-8")
    assert "\ufffd" in text, "the control character was dropped without a trace"
    assert "\x07" not in text
