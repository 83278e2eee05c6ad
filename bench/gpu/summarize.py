"""Prints the engine benchmark's JSON lines as a table: one figure a line, with its setting.

Usage: python bench/gpu/summarize.py RESULTS.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The fields that say what a figure was measured on, in the order they are shown.
SETTING_FIELDS = ("mode", "batch", "batch_over_singles", "fraction_of_peak", "peak_tflops")


def setting(record: dict[str, Any]) -> str:
    parts = []
    if "width" in record and "height" in record:
        parts.append(f"{record['width']}x{record['height']}")
    parts.extend(f"{key} {record[key]}" for key in SETTING_FIELDS if record.get(key) is not None)
    return ", ".join(parts)


def value_text(record: dict[str, Any]) -> str:
    value = record.get("value")
    if record.get("unit") == "bytes" and isinstance(value, int | float):
        return f"{value / 2**30:.2f} GiB"
    return f"{value} {record.get('unit', '')}".strip()


def main(argv: list[str]) -> int:
    records = [json.loads(line) for line in Path(argv[1]).read_text().splitlines() if line]
    if not records:
        print("no figures were recorded")
        return 1
    first = records[0]
    print(
        f"engine benchmark: {first.get('config')} on {first.get('device')} ({first.get('dtype')})"
    )
    for record in records:
        if record.get("metric") == "summary":
            continue
        print(f"  {record.get('metric', '?'):<20} {value_text(record):<22} {setting(record)}")
    summary = records[-1]
    if summary.get("metric") == "summary":
        print(f"  total {summary['value']} s (budget {summary.get('budget_s')} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
