"""Time ``conflictkg encode``: report cards compiled to Turtle, in process and as a command.

In process, against rdflib parsing the hand-written Turtle of the same graph (baseline)
and pyoxigraph parsing it (the floor of any RDF reading):

- the Bamako card (about 920 triples), and the same card repeated ``--copies`` times
  with renamed ids (about 18,000 triples at the default 20), for throughput;
- reading the names index (ontology, code lists and ``graph/``) that every encode needs;
- the lines of the made-up reports of ``tests/data/valid/`` as Turtle and as cards.

As commands: ``conflictkg encode CARD --no-validate`` and, with ``--validate``, encode with
validation in the context of a built store, against ``conflictkg --version`` (the start-up
cost of the command line).

Usage::

    python benchmarks/bench_encode.py [-n 7] [--copies 100] [--validate]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from conflictkg.cards import encode, project_vocabulary
from conflictkg.cards.decompile import decompile

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds as median  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "graph" / "cards" / "bamako-2024-09-17.card.yaml"
TURTLE = ROOT / "graph" / "reports" / "bamako-2024-09-17.ttl"
COMMAND = [str(Path(sys.executable).with_name("conflictkg"))]


def copies(card_text: str, n: int) -> str:
    """Repeat the records of a card `n` times, each copy's ids (and names) suffixed."""
    head, _, body = card_text.partition("records:\n")
    ids = re.findall(r"^  ([a-z0-9-]+):$", body, re.M)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(ids, key=len)[::-1])) + r")\b")
    parts = [head, "records:\n"]
    for i in range(n):
        parts.append(pattern.sub(lambda m, i=i: f"{m.group(1)}-copy-{i}", body))
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=7)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-encode-"))
    print(f"{'what':44} {'median':>9} {'ratio':>7}")

    def row(what: str, seconds: float, base: float | None = None, triples: int = 0) -> None:
        ratio = f"{seconds / base:6.2f}x" if base else ""
        rate = f"  {triples / seconds:,.0f} triples/s" if triples else ""
        print(f"{what:44} {seconds * 1000:7.1f}ms {ratio:>7}{rate}")

    index = median(lambda: project_vocabulary(exclude=TURTLE), args.n)
    row("names index (ontology, codes, graph/)", index)
    vocabulary = project_vocabulary(exclude=TURTLE)
    for label, card, n in (("Bamako card", CARD, 1), (f"Bamako card x{args.copies}", None,
                                                       args.copies)):
        if card is None:
            card = folder / "copies.card.yaml"
            card.write_text(copies(CARD.read_text(encoding="utf-8"), n), encoding="utf-8")
        compiled, text = encode(card, TURTLE, vocabulary=vocabulary)
        turtle = folder / f"{card.stem}.ttl"
        turtle.write_text(text, encoding="utf-8")
        size = len(compiled.triples)
        rdflib_parse = median(lambda t=turtle: Graph().parse(t), args.n)
        oxigraph_parse = median(
            lambda t=turtle: list(ox.parse(path=str(t), format=ox.RdfFormat.TURTLE)), args.n
        )
        compile_time = median(lambda c=card: encode(c, TURTLE, vocabulary=vocabulary), args.n)
        print(f"-- {label}: {size:,} triples")
        row("  rdflib parses its Turtle (baseline)", rdflib_parse, rdflib_parse, size)
        row("  pyoxigraph parses its Turtle", oxigraph_parse, rdflib_parse, size)
        row("  encode: card to Turtle text", compile_time, rdflib_parse, size)

    lines_turtle = lines_card = 0
    for turtle in sorted((ROOT / "tests" / "data" / "valid").glob("made-up-*.ttl")):
        lines_turtle += len(turtle.read_text(encoding="utf-8").splitlines())
        lines_card += len(decompile(turtle, vocabulary).splitlines())
    print(f"-- made-up reports of tests/data/valid: {lines_turtle} lines of Turtle, "
          f"{lines_card} lines as cards (rewritten by cards.decompile), "
          f"{lines_card / lines_turtle:.2f}x")

    cpu: list[float] = []

    def run(*extra: str) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(COMMAND + list(extra), check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    def command_row(what: str, seconds: float, base: float) -> None:
        row(what, seconds, base)
        print(f"{'':44}   CPU {statistics.median(cpu) * 1000:7.1f}ms (user + system)")
        cpu.clear()

    startup = median(lambda: run("--version"), args.n)
    out = folder / "bamako.ttl"
    print("-- as commands (wall clock, then the command's own CPU time)")
    command_row("  conflictkg --version (baseline)", startup, startup)
    command_row("  encode Bamako card --no-validate --no-project", median(
        lambda: run("encode", str(CARD), "-o", str(out), "--no-validate", "--no-project"),
        args.n), startup)
    convoy = ROOT / "tests" / "data" / "cards" / "made-up-convoy-ambush.card.yaml"
    command_row("  ... a 50-line made-up card", median(
        lambda: run("encode", str(convoy), "-o", str(folder / "c.ttl"), "--no-validate"),
        args.n), startup)
    if args.validate:
        store = folder / "built"
        run("build", "--store", str(store), "--quiet")
        cpu.clear()
        command_row("  conflictkg encode (50-line card) + validate", median(
            lambda: run("encode", str(convoy), "-o", str(folder / "c.ttl"), "--store",
                        str(store)), max(3, args.n // 2)), startup)


if __name__ == "__main__":
    main()
