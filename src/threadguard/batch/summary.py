"""What a finished run read, scored and could not read: counts per input file and per problem reason,
the errors file (one JSON line per problem), the summary JSON and the printed tables."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


@dataclass
class FileCounts:
    file: str
    format: str
    rows_scored: int = 0
    bad_inputs: int = 0  # problems whose input produced no row
    repaired: int = 0  # problems whose row was scored after a repair (e.g. not UTF-8)
    parser_counted: int = 0  # problems a thread parser counted without saying what became of them
    problems: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["problems"] = dict(sorted(self.problems.items()))
        data["notes"] = dict(sorted(self.notes.items()))
        return data


class Summary:
    """Fed the chunk records in output order; writes each problem to the errors file as it goes."""

    def __init__(self, errors: IO[str]) -> None:
        self.errors = errors
        self.files: list[FileCounts] = []
        self.model = ""
        self.tier = ""

    def add(self, record: dict[str, Any]) -> None:
        if record["index"] == 0:
            self.files.append(FileCounts(record["file"], record["format"]))
        counts = self.files[-1]
        self.model = record["model"]
        self.tier = record.get("tier", "fast")
        counts.rows_scored += record["rows"]
        for problem in record["problems"]:
            self.errors.write(json.dumps(problem, ensure_ascii=True) + "\n")
            n = problem.get("count", 1)
            counts.problems[problem["reason"]] += n
            if problem["skipped"] is None:
                counts.parser_counted += n
            elif problem["skipped"]:
                counts.bad_inputs += n
            else:
                counts.repaired += n
        counts.notes.update(record["notes"])

    def as_dict(self) -> dict[str, Any]:
        totals: dict[str, Any] = {
            key: sum(getattr(f, key) for f in self.files)
            for key in ("rows_scored", "bad_inputs", "repaired", "parser_counted")
        }
        totals["problems"] = dict(sorted(sum((f.problems for f in self.files), Counter()).items()))
        totals["notes"] = dict(sorted(sum((f.notes for f in self.files), Counter()).items()))
        return {"model": self.model, "tier": self.tier, **totals, "files": [f.as_dict() for f in self.files]}


def print_summary(summary: dict[str, Any], console: Console) -> None:
    table = Table(title=f"threadguard batch · model {summary['model']} · tier {summary.get('tier', 'fast')}")
    for column in ("input", "format", "scored", "bad input", "repaired", "parser counted"):
        table.add_column(column, justify="left" if column in ("input", "format") else "right")
    for f in summary["files"]:
        table.add_row(
            escape(f["file"]),
            f["format"],
            f"{f['rows_scored']:,}",
            f"{f['bad_inputs']:,}",
            f"{f['repaired']:,}",
            f"{f['parser_counted']:,}",
        )
    if len(summary["files"]) > 1:
        table.add_row(
            "[bold]total[/bold]",
            "",
            f"{summary['rows_scored']:,}",
            f"{summary['bad_inputs']:,}",
            f"{summary['repaired']:,}",
            f"{summary['parser_counted']:,}",
        )
    console.print(table)
    if summary["problems"]:
        problems = Table("problem", "count", title="problems (details in the errors file)")
        for reason, count in summary["problems"].items():
            problems.add_row(escape(reason), f"{count:,}")
        console.print(problems)
    if summary["notes"]:
        console.print("notes: " + ", ".join(f"{escape(k)} {v:,}" for k, v in summary["notes"].items()))
    run = summary.get("run", {})
    if run:
        console.print(
            f"{run['rows_scored']:,} rows scored in this run in {run['seconds']:.1f} s "
            f"({run['rows_per_second']:,.0f} rows/s, {run['engine']} engine, {run['workers']} workers)"
        )
