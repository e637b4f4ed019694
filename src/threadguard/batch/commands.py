"""The `threadguard batch` command; heavy imports stay inside the body to keep `threadguard --help` fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="input files or folders (JSONL, CSV, Parquet, WARC/WET, thread exports; .gz is fine)"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="output file: .jsonl or .parquet")],
    format: Annotated[
        str, typer.Option("--format", help="input format of every input (default: told per file)")
    ] = "auto",
    engine: Annotated[
        str, typer.Option(help="local (processes on this machine) or ray (Ray Data)")
    ] = "local",
    workers: Annotated[
        int | None, typer.Option(help="scoring processes (default: every core / every cluster CPU)")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (e.g. auto, or ray://head:10001)")
    ] = None,
    spans: Annotated[
        bool, typer.Option("--spans/--no-spans", help="full line format, or the fast mode: scores only")
    ] = True,
    text_field: Annotated[
        str | None, typer.Option(help="text field/column of JSONL, CSV and Parquet rows")
    ] = None,
    id_field: Annotated[
        str | None, typer.Option(help="id field/column of JSONL, CSV and Parquet rows")
    ] = None,
    chunk_rows: Annotated[int, typer.Option(help="rows per chunk (the unit of work and of resuming)")] = 1000,
    model: Annotated[
        Path | None, typer.Option("--model", help="model artifact folder (default: shipped)")
    ] = None,
    tier: Annotated[
        str, typer.Option("--tier", help="fast (default at crawl scale), accurate, or auto")
    ] = "fast",
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="show a progress bar")] = True,
) -> None:
    """Score files of comments at crawl scale: streaming, on every core or a Ray cluster, resumable.

    Interrupted (Ctrl-C, kill), the same command continues where it stopped. Writes OUT, the errors
    file (one JSON line per bad input) and a summary JSON next to it.
    """
    from rich.console import Console

    from threadguard.batch.checkpoint import JobMismatchError
    from threadguard.batch.job import ENGINES, BatchJob
    from threadguard.batch.sources import FORMAT_NAMES, ReadOptions
    from threadguard.batch.summary import print_summary

    console = Console(stderr=True)
    if format not in FORMAT_NAMES:
        raise typer.BadParameter(f"one of {', '.join(FORMAT_NAMES)}", param_hint="--format")
    if engine not in ENGINES:
        raise typer.BadParameter(f"one of {', '.join(ENGINES)}", param_hint="--engine")
    if tier not in ("fast", "accurate", "auto"):
        raise typer.BadParameter("one of fast, accurate, auto", param_hint="--tier")
    if address and engine != "ray":
        raise typer.BadParameter("--address needs --engine ray", param_hint="--address")
    try:
        job = BatchJob.create(
            inputs, out, ReadOptions(format, text_field, id_field), spans, model, chunk_rows, tier
        )
    except (FileNotFoundError, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None
    try:
        summary = job.run(engine, workers, address, progress)
    except JobMismatchError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        console.print(
            "[yellow]interrupted[/yellow]: finished chunks are kept; run the same command to continue"
        )
        raise typer.Exit(130) from None
    if summary.get("already_complete"):
        console.print(f"{out} is already complete for this job (summary: {job.summary_path})")
    print_summary(summary, console)
    console.print(f"wrote {out}, {job.errors_path}, {job.summary_path}")
