"""Tables of what fails: violations of shapes and rules, failed checks (rich)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from conflictkg.pipeline import BuildResult
    from conflictkg.rdf.validation import Violation
    from conflictkg.sparql.checks import CheckResult

__all__ = ["check_table", "count", "print_failures", "violation_table"]


def violation_table(title: str, found: Sequence[Violation]) -> Table:
    """Lay out validation results as a rich table."""
    table = Table(title=title, show_lines=True, title_justify="left")
    table.add_column("Node", overflow="fold")
    table.add_column("Rule", overflow="fold")
    table.add_column("Message", overflow="fold")
    for item in found:
        node = item.focus_label
        if item.value is not None:
            node += f"\nvalue: {item.value}"
        rule = item.rule if item.rule == item.rule_id else f"{item.rule}\n[{item.rule_id}]"
        if item.severity != "Violation":
            rule = f"({item.severity}) {rule}"
        message = item.message if item.path is None else f"{item.message}\npath: {item.path}"
        table.add_row(node, rule, message, style=None if item.severity == "Violation" else "dim")
    return table


def count(found: Iterable[Violation], severity: str) -> int:
    """Count the results of one severity."""
    return sum(1 for item in found if item.severity == severity)


def check_table(results: list[CheckResult]) -> Table:
    """Lay out the findings of failed checks as a rich table.

    Parameters
    ----------
    results : list of CheckResult
        Results of :func:`conflictkg.sparql.checks.run_checks`.

    Returns
    -------
    rich.table.Table
        One row per finding.
    """
    from conflictkg.sparql.checks import failed

    table = Table(title="Data-quality checks", title_justify="left", show_lines=True)
    table.add_column("Check", overflow="fold")
    table.add_column("Node", overflow="fold")
    table.add_column("Message", overflow="fold")
    for result in failed(results):
        for finding in result.findings:
            table.add_row(result.id, finding.label, finding.message)
    return table


def print_failures(console: Console, result: BuildResult) -> None:
    """Print what made a build fail: violations of the ontology and of the data, checks."""
    if result.ontology_violations and not result.ontology_conforms:
        console.print(violation_table("Ontology check", result.ontology_violations))
    if result.violations and not result.data_conforms:
        console.print(violation_table("Data check", result.violations))
    if result.failed_checks:
        console.print(check_table(result.failed_checks))
