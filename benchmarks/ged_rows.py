"""Write GED-shaped CSV rows for any size: the real sample's rows, varied.

Row ``i`` copies row ``i % 1000`` of the 1,000-row GED 23.1 sample (the 49 columns, their
quirks included: low above best on 13 templates, ``number_of_sources`` -1, AFG- relids) and
changes what makes it a distinct event: its id, its relid, its dates (shifted by up to a
year), and, for one row in four, its location (a numbered place near the template's point),
so that a large file has many places as the full GED does (some 80,000 locations for
418,000 events).  Usage::

    python benchmarks/ged_rows.py 418000 OUT.csv
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

SAMPLE = (Path(__file__).resolve().parents[1] / "tests" / "data" / "datasets"
          / "ged231-sample-1000.csv")

__all__ = ["write_rows"]


def write_rows(n: int, out: str | Path, *, sample: Path = SAMPLE) -> Path:
    """Write `n` GED-shaped rows to `out` (a CSV file named like ``ged231-….csv``)."""
    with open(sample, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames
        templates = list(reader)
    out = Path(out)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        for i in range(n):
            row = dict(templates[i % len(templates)])
            row["id"] = str(1_000_000 + i)
            row["relid"] = f"{row['relid']}-{i}"
            shift = dt.timedelta(days=(i * 7) % 365)
            for column in ("date_start", "date_end"):
                row[column] = (dt.date.fromisoformat(row[column]) + shift).isoformat()
            if i % 4 == 0 and row["where_coordinates"] and row["latitude"]:
                place = i // 4 % 100_000
                row["where_coordinates"] = f"{row['where_coordinates']} {place}"
                row["latitude"] = f"{float(row['latitude']) + (place % 97) / 1000:.5f}"
                row["longitude"] = f"{float(row['longitude']) + (place % 89) / 1000:.5f}"
            writer.writerow(row)
    return out


if __name__ == "__main__":
    size, target = int(sys.argv[1]), sys.argv[2]
    print(write_rows(size, target))
