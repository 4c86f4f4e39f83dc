"""Event datasets (UCDP GED, ACLED) imported into the graph, linked to the reports.

:func:`import_dataset` maps a dataset's CSV export to a graph file of ``graph/datasets/``
(``ged``, ``acled``); ``conflictkg import`` then builds it into the store.  The mapping of
every column is in ``docs/import.md``.
"""

from conflictkg.importing.run import DATASETS, ImportResult, import_dataset, keep, restore

__all__ = ["DATASETS", "ImportResult", "import_dataset", "keep", "restore"]
