"""The `threadguard` command: one verb per job."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.scores import error_line

if TYPE_CHECKING:
    from threadguard.ingest.json_lines import Line

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Score comment threads like Perspective, offline."
)
console = Console()
errors = Console(stderr=True)

TierOption = Annotated[
    str,
    typer.Option("--tier", help="fast (linear), accurate (fine-tuned encoder) or auto (both)"),
]
ModelOption = Annotated[Path | None, typer.Option("--model", help="model artifact folder (default: shipped)")]
DataOption = Annotated[
    Path | None, typer.Option("--data", help="folder with the labelled datasets (../shared/data)")
]


@app.command()
def score(
    text: Annotated[str | None, typer.Argument(help="the comment to score")] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help='read {"id", "text"} lines on stdin, write one line each')
    ] = False,
    model: ModelOption = None,
    tier: TierOption = "auto",
    batch_size: Annotated[int, typer.Option(help="lines scored together in --jsonl mode")] = 512,
    community: Annotated[
        str | None,
        typer.Option(help="flag with this community's thresholds (a model from `train --feedback`)"),
    ] = None,
) -> None:
    """Score one comment (a table) or a stream of JSON lines (the engine's line format)."""

    if jsonl == (text is not None):
        raise typer.BadParameter("give either a TEXT argument or --jsonl (with lines on stdin)")
    scorer = _load_scorer(model, tier)
    if jsonl:
        counts = score_stream(scorer, sys.stdin.buffer, sys.stdout, batch_size, community)
        errors.print(f"{counts['read']} lines read, {counts['scored']} scored, {counts['errors']} errors")
        return
    assert text is not None
    if not text.strip():
        console.print("[red]COMMENT_EMPTY:[/red] nothing to score")
        raise typer.Exit(2)
    _print_result(text, scorer.score([text], community=community)[0])


def _load_scorer(model: Path | None, tier: str) -> Any:
    """The scorer for a command, with a clear message for an unknown tier or a missing model."""
    from threadguard.scorer import TIERS, Scorer

    if tier not in TIERS:
        raise typer.BadParameter(f"--tier must be one of {', '.join(TIERS)}, not {tier!r}")
    try:
        return Scorer.load(model, tier=tier)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from error


def score_stream(
    scorer: Any, stdin: IO[bytes], stdout: IO[str], batch_size: int = 512, community: str | None = None
) -> dict[str, int]:
    """JSONL in, JSONL out, same order; a bad line becomes an error line and the stream goes on."""
    counts = {"read": 0, "scored": 0, "errors": 0}
    for batch in _batches(stdin, batch_size):
        counts["read"] += len(batch)
        to_score = [(i, item) for i, item in enumerate(batch) if "error" not in item]
        results = (
            scorer.score([item["text"] for _, item in to_score], community=community) if to_score else []
        )
        lines: list[dict[str, Any]] = [
            error_line(item.get("id"), item["error"], scorer.version) if "error" in item else {}
            for item in batch
        ]
        for (i, item), result in zip(to_score, results, strict=True):
            line = result.to_line(item.get("id"))
            if item.get("warnings"):
                line["warnings"] = item["warnings"] + line.get("warnings", [])
            lines[i] = line
        for line in lines:
            counts["errors" if "error" in line else "scored"] += 1
            stdout.write(json.dumps(line, ensure_ascii=True) + "\n")
        stdout.flush()
    return counts


def _batches(stdin: IO[bytes], size: int) -> Iterator[list[dict[str, Any]]]:
    from threadguard.ingest.json_lines import read_lines

    batch: list[dict[str, Any]] = []
    for line in read_lines(stdin):
        batch.append(line_item(line))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def line_item(line: Line) -> dict[str, Any]:
    """One input line -> {"id", "text", "warnings"} or {"id", "error"}; the error
    starts with the line contract's name for the problem (json_lines.LINE_PROBLEMS)."""
    from threadguard.ingest.json_lines import LINE_PROBLEMS, line_text

    if line.fields is None:
        return {"id": None, "error": f"{line.problem} on line {line.number}: {line.detail}"}
    comment_id = line.fields.get("id")
    text, problem = line_text(line.fields)
    if text is None:
        return {"id": comment_id, "error": f"{problem} on line {line.number}: {LINE_PROBLEMS[problem]}"}
    return {"id": comment_id, "text": text, "warnings": [line.warning] if line.repair else []}


def _print_result(text: str, result: Any) -> None:
    from rich.table import Table  # here, not at the top: `score --jsonl` never draws a table

    from threadguard.text.utf16 import Utf16Index

    index = Utf16Index(text)
    flag = "[bold red]flagged[/bold red]" if result.flagged else "[green]not flagged[/green]"
    table = Table(title=f"threadguard {result.model}  ·  language {result.language}  ·  {flag}")
    table.add_column("attribute")
    table.add_column("probability", justify="right")
    table.add_column("", min_width=20)
    table.add_column("spans that drive it")
    for name in ATTRIBUTES:
        p = result.attributes[name]
        spans = result.spans.get(name, [])
        quoted = ", ".join(
            f"“{escape(text[index.to_index(s.begin) : index.to_index(s.end)])}” ({s.score:.2f})"
            for s in spans
        )
        colour = "red" if p >= 0.5 else "yellow" if p >= 0.3 else "green"
        table.add_row(name, f"{p:.3f}", f"[{colour}]{'█' * round(p * 20)}[/{colour}]", quoted)
    console.print(table)
    targets = sorted(((result.targets[g], g) for g in TARGET_GROUPS), reverse=True)
    console.print("targets: " + ", ".join(f"{g} {p:.2f}" for p, g in targets[:3]))
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


@app.command()
def train(
    data: DataOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="where to write the artifact (default artifacts/model; required with --feedback)"),
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed; same data + seed = same model version")] = 0,
    limit: Annotated[int | None, typer.Option(help="train on a sample of N rows (quick experiments)")] = None,
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            help="fast (linear) or accurate (MiniLM) to train; with --feedback the scoring tier whose "
            "thresholds are recalibrated: fast, accurate or auto (default: fast; with --feedback auto)",
        ),
    ] = None,
    device: Annotated[str, typer.Option(help="torch device for --tier accurate: cpu or cuda")] = "cpu",
    distil: Annotated[
        bool,
        typer.Option(
            help="fast tier: learn from soft labels too, the mean of the shipped accurate tier and "
            "the two Jigsaw-2018 teachers (the [train] extras)"
        ),
    ] = True,
    feedback: Annotated[
        str | None,
        typer.Option(
            "--feedback",
            help="instead of training: recalibrate the communities' flag thresholds from this store's "
            "labels (SQLite file or database URL) and write a new model to --out",
        ),
    ] = None,
    community: Annotated[
        list[str] | None,
        typer.Option("--community", help="with --feedback: only this community (repeat); default: all"),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="with --feedback: the model to start from (default: shipped)"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="with --feedback: replace an earlier model folder at --out")
    ] = False,
    min_rows: Annotated[int, typer.Option(help="with --feedback: labelled rows an attribute needs")] = 50,
    min_per_class: Annotated[
        int, typer.Option(help="with --feedback: positives and negatives an attribute needs")
    ] = 10,
    max_change: Annotated[
        float, typer.Option(help="with --feedback: the most a threshold may move in one run")
    ] = 0.2,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--eval/--no-eval",
            help="with --feedback: flag shares on C3 and the madlibs under old and new thresholds "
            "(needs --data or ../shared/data)",
        ),
    ] = True,
    eval_limit: Annotated[int, typer.Option(help="with --feedback --eval: rows per evaluation split")] = 1000,
) -> None:
    """Rebuild the model from the licence-permitted datasets and write an artifact with its model card;
    or, with --feedback, recalibrate flag thresholds from moderators' and clients' labels."""
    from threadguard.eval.metrics import mean_span_f1
    from threadguard.model.train import Teacher
    from threadguard.model.train import train as run_training

    if feedback is not None:
        from threadguard.model.recalibration import Rule
        from threadguard.recalibrate import recalibrate_from_feedback

        if out is None:
            raise typer.BadParameter(
                "give --out, a new folder for the recalibrated model", param_hint="--out"
            )
        rule = Rule(min_rows=min_rows, min_per_class=min_per_class, max_change=max_change)
        try:
            recalibrate_from_feedback(
                feedback, out, model, tier or "auto", community, rule, force,
                data, evaluate, eval_limit, console,
            )  # fmt: skip
        except (ValueError, FileNotFoundError) as error:
            errors.print(f"[red]error:[/red] {escape(str(error))}")
            raise typer.Exit(2) from None
        return
    tier = tier or "fast"
    if tier == "accurate":
        from threadguard.model.encoder_training import train_encoder

        target = out or Path("artifacts/accurate")
        settings = {"examples": limit} if limit else None
        train_encoder(data, target, seed=seed, device=device, settings=settings,
                      progress=lambda m: console.print(f"[cyan]•[/cyan] {m}"))  # fmt: skip
        calibrate(data, target)
        console.print(f"accurate tier in {target}; copy it over src/threadguard/models/accurate/ to ship it")
        return
    if tier != "fast":
        raise typer.BadParameter("--tier must be fast or accurate")
    out = out or Path("artifacts/model")

    teachers: list[Teacher] = []
    if distil:
        from threadguard.model.labels import OUTPUTS
        from threadguard.model.linear import sigmoid
        from threadguard.model.train import jigsaw_teacher
        from threadguard.scorer import Scorer

        accurate = Scorer.load(tier="accurate")
        assert accurate.encoder is not None  # the accurate tier always has one
        name = f"accurate tier {accurate.encoder.version}"
        teachers = [
            Teacher(name, tuple(OUTPUTS), lambda t: sigmoid(accurate.logits(t))),
            jigsaw_teacher(progress=lambda m: console.print(f"[cyan]•[/cyan] {m}")),
        ]
    artifact = run_training(data_dir=data, out_dir=out, seed=seed, limit=limit, teachers=teachers,
                            progress=lambda m: console.print(f"[cyan]•[/cyan] {m}"),
                            span_metric=mean_span_f1)  # fmt: skip
    console.print(f"model [bold]{artifact.version}[/bold] in {out}; card: {out / 'MODEL_CARD.md'}")


@app.command()
def calibrate(
    data: DataOption = None,
    accurate: Annotated[Path, typer.Option(help="accurate-tier folder to calibrate in place")] = Path(
        "artifacts/accurate"
    ),
) -> None:
    """Choose the accurate tier's flag thresholds, `auto` hand-over and span rule on development data
    (UCC val, SemEval trial) against the shipped fast tier; rewrite its encoder.json and MODEL_CARD.md."""
    from threadguard.eval.metrics import mean_span_f1
    from threadguard.model.encoder import EncoderArtifact
    from threadguard.model.encoder_calibration import calibrate as run_calibration
    from threadguard.model.encoder_card import write_encoder_card
    from threadguard.scorer import Scorer

    run_calibration(
        EncoderArtifact.load(accurate), data, Scorer.load(tier="fast").predict_proba, mean_span_f1,
        progress=lambda m: console.print(f"[cyan]•[/cyan] {m}"),
    )  # fmt: skip
    console.print(f"calibrated {accurate}; card: {write_encoder_card(accurate)}")


@app.command(name="eval")
def evaluate(
    data: DataOption = None,
    model: ModelOption = None,
    out: Annotated[Path, typer.Option(help="report folder")] = Path("reports"),
    baseline: Annotated[bool, typer.Option(help="also score alt-profanity-check on the same rows")] = True,
    limit: Annotated[int | None, typer.Option(help="rows per set (quick runs)")] = None,
    tier: TierOption = "auto",
) -> None:
    """Run the benchmark suite on the evaluation sets; write reports/eval.md and reports/eval.json."""
    from threadguard.eval.suite import run_suite

    results = run_suite(_load_scorer(model, tier), data_dir=data, out_dir=out, baseline=baseline, limit=limit)
    console.print(f"wrote {out / 'eval.md'} ({len(results.get('tasks', results))} tasks)")


@app.command()
def ablation(
    data: DataOption = None,
    model: ModelOption = None,
    out: Annotated[Path, typer.Option(help="report folder")] = Path("reports"),
    limit: Annotated[int | None, typer.Option(help="rows per set (quick runs)")] = None,
    candidates: Annotated[
        str,
        typer.Option(
            help="comma-separated: fast, accurate, auto, tox_block, toxic_comment_classifier, "
            "teachers_mean, or label=FOLDER for the fast tier of another model folder"
        ),
    ] = "fast,accurate,auto,tox_block,toxic_comment_classifier,teachers_mean",
    reuse: Annotated[
        str,
        typer.Option(
            help="comma-separated candidates whose earlier run (OUT/ablation/<label>/eval.json) is read "
            "back instead of scored again: models that did not change"
        ),
    ] = "",
) -> None:
    """Run the evaluation suite for every tier and both teachers; write reports/ablation.md side by side."""
    from threadguard.eval.ablation import run_ablation

    names = [n.strip() for n in candidates.split(",") if n.strip()]
    kept = [n.strip() for n in reuse.split(",") if n.strip()]
    try:
        path = run_ablation(
            names,
            data,
            out,
            limit,
            model,
            progress=lambda m: console.print(f"[cyan]•[/cyan] {m}"),
            reuse=kept,
        )
    except FileNotFoundError as error:
        errors.print(f"[red]error:[/red] --reuse needs an earlier run: {escape(str(error))}")
        raise typer.Exit(2) from None
    console.print(path.read_text())


@app.command("train-context")
def train_context(
    data: DataOption = None,
    model: ModelOption = None,
    seed: Annotated[int, typer.Option(help="seed for the hand-written article/reply pairs")] = 0,
) -> None:
    """Fit the context model on ToxiChat dev and the hand-written pairs; write context.json to the model.

    It learns on top of the fast tier's scores (one fixed, cheap input) and is applied on every tier."""
    from threadguard.model.artifact import default_model_dir
    from threadguard.model.context import ContextModel
    from threadguard.scorer import Scorer
    from threadguard.thread.context import ContextScorer
    from threadguard.thread.context_training import train_context_model

    fitted = train_context_model(ContextScorer(Scorer.load(model, tier="fast"), ContextModel()), data, seed)
    target = (model or default_model_dir()) / "context.json"
    fitted.save(target)
    console.print(f"wrote {target}")


@app.command("eval-context")
def evaluate_context(
    data: DataOption = None,
    model: ModelOption = None,
    out: Annotated[Path, typer.Option(help="folder for context.md and context.json")] = Path("reports"),
) -> None:
    """Score context sets alone and in context; write reports/context.md and reports/context.json."""
    from threadguard.eval.context import evaluate_context as run
    from threadguard.thread.context import ContextScorer

    run(ContextScorer.load(model), data, out)
    console.print((out / "context.md").read_text())


@app.command()
def info(model: ModelOption = None) -> None:
    """Show the model version and what it was trained on."""
    from rich.table import Table

    from threadguard.model.artifact import Artifact

    artifact = Artifact.load(model)
    console.print(f"model [bold]{artifact.version}[/bold]")
    table = Table("training set", "licence", "rows")
    for s in artifact.card.get("training_sets", []):
        table.add_row(s["dataset"], s["licence"], f"{s['rows']:,}")
    console.print(table)


FormatOption = Annotated[str, typer.Option("--format", help="input format, or auto to sniff it")]
ContextFlag = Annotated[
    bool, typer.Option("--context/--no-context", help="score each comment with its article and parent")
]


@app.command()
def thread(
    file: Annotated[Path, typer.Argument(help="an export, page or dump with one or more threads")],
    format: FormatOption = "auto",
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write every comment's scores as JSON ('-' = stdout)")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="write a self-contained HTML report")] = None,
    context: ContextFlag = True,
    model: ModelOption = None,
    tier: TierOption = "auto",
) -> None:
    """Read a thread, score every comment in context, and show the tree with a summary."""
    from threadguard.thread.terminal import print_summary, print_thread

    threads, summary, scorer = _score_threads([file], format, context, model, tier)
    out = errors if json_out == Path("-") else console
    if json_out is None:
        for t, scored in threads:
            print_thread(console, t, scored)
    print_summary(out, summary)
    if json_out is not None:
        payload = {
            "model": scorer.version,
            "summary": summary.as_dict(),
            "threads": [_thread_json(t, scored) for t, scored in threads],
        }
        _write_json(payload, json_out)
    if html is not None:
        from threadguard.thread.html_report import render_report

        html.write_text(
            render_report(threads, summary, scorer.scorer.thresholds_for(None), scorer.version), "utf-8"
        )
        out.print(f"wrote {html}")


@app.command()
def threads(
    directory: Annotated[
        Path, typer.Argument(help="a folder of exports, pages or dumps (searched recursively)")
    ],
    format: FormatOption = "auto",
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the cross-thread report as JSON")
    ] = None,
    similarity: Annotated[float, typer.Option(help="MinHash Jaccard threshold for near-duplicates")] = 0.8,
    context: ContextFlag = True,
    model: ModelOption = None,
    tier: TierOption = "auto",
) -> None:
    """Across many threads: repeat authors with their flagged rate, and copy-paste campaigns."""
    from threadguard.thread.duplicates import Posting, near_duplicates
    from threadguard.thread.stats import author_records
    from threadguard.thread.terminal import print_authors, print_campaigns, print_summary

    files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))
    if not files:
        raise typer.BadParameter(f"no files in {directory}")
    scored_threads, summary, _ = _score_threads(files, format, context, model, tier)
    keyed = [(_thread_key(t, i), scored) for i, (t, scored) in enumerate(scored_threads)]
    records = author_records(keyed)
    campaigns = near_duplicates(
        (
            Posting(key, s.comment.id, s.comment.author, s.comment.text)
            for key, scored in keyed
            for s in scored
        ),
        threshold=similarity,
    )
    print_summary(console, summary, title=f"{len(scored_threads)} threads from {len(files)} files")
    print_authors(console, records)
    print_campaigns(console, campaigns)
    if json_out is not None:
        payload = {
            "summary": summary.as_dict(),
            "repeat_authors": {
                name: {"threads": len(r.threads), "comments": r.comments, "flagged": r.flagged}
                for name, r in sorted(records.items())
                if len(r.threads) >= 2
            },
            "near_duplicates": [
                [{"thread": p.thread, "id": p.comment_id, "author": p.author, "text": p.text} for p in group]
                for group in campaigns
            ],
        }
        _write_json(payload, json_out)


def _score_threads(
    files: list[Path], format: str, context: bool, model: Path | None, tier: str
) -> tuple[Any, Any, Any]:
    """Read and score every thread of the files, with a progress bar and the ingest counts on stderr."""
    from rich.progress import Progress

    from threadguard.ingest import IngestReport, UnknownFormatError, read_threads
    from threadguard.thread.context import ContextScorer
    from threadguard.thread.scoring import score_thread
    from threadguard.thread.stats import ThreadSummary

    scorer = ContextScorer(_load_scorer(model, tier), model_path=model / "context.json" if model else None)
    summary = ThreadSummary()
    scored_threads = []
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("scoring", total=len(files))
        for file in files:
            report = IngestReport()
            try:
                for t in read_threads(file, format=format, report=report):
                    scored = score_thread(t, scorer, use_context=context)
                    summary.add(scored, scorer.scorer.thresholds_for(None))
                    scored_threads.append((t, scored))
            except (UnknownFormatError, OSError) as error:
                errors.print(f"[red]{escape(str(file))}:[/red] {escape(str(error))}")
                if len(files) == 1:
                    raise typer.Exit(2) from error
            warnings = ", ".join(f"{k} {v}" for k, v in sorted(report.warnings.items()))
            errors.print(
                f"{escape(str(file))} ({report.format or '?'}): {report.threads} threads, "
                f"{report.comments_read} comments read, {report.comments_output} output"
                + (f"; {escape(warnings)}" if warnings else "")
            )
            progress.advance(task)
    return scored_threads, summary, scorer


def _thread_key(t: Any, position: int) -> str:
    return t.url or t.id or t.title or f"thread-{position}"


def _thread_json(t: Any, scored: list[Any]) -> dict[str, Any]:
    return {
        "source": t.source,
        "id": t.id,
        "url": t.url,
        "title": t.title,
        "warnings": dict(t.warnings),
        "comments": [s.to_line() for s in scored],
    }


def _write_json(payload: dict[str, Any], target: Path) -> None:
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    if target == Path("-"):
        sys.stdout.write(text + "\n")
    else:
        target.write_text(text + "\n", encoding="utf-8")
        errors.print(f"wrote {target}")


# Verbs defined next to the code they drive; their heavy imports happen inside the function bodies.
from threadguard.batch.commands import batch as batch_command  # noqa: E402
from threadguard.service.commands import db_app, feedback_app, serve, users_app  # noqa: E402

app.command()(serve)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(feedback_app, name="feedback")
app.command("batch")(batch_command)
