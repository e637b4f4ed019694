"""Scored threads in the terminal: an indented tree with attribute bars, and summary tables."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from threadguard.attributes import ATTRIBUTES
from threadguard.thread.duplicates import Posting
from threadguard.thread.model import Thread
from threadguard.thread.scoring import ScoredComment
from threadguard.thread.stats import AuthorRecord, ThreadSummary

SHORT = {
    "TOXICITY": "TOX",
    "SEVERE_TOXICITY": "SEV",
    "IDENTITY_ATTACK": "IDA",
    "INSULT": "INS",
    "PROFANITY": "PRF",
    "THREAT": "THR",
    "SEXUALLY_EXPLICIT": "SEX",
}
BAR_MIN = 0.2  # attributes below this are not worth a bar
PREVIEW = 300  # characters of a comment shown in the tree


def bar(p: float, width: int = 8) -> str:
    full = round(p * width)
    colour = "red" if p >= 0.5 else "yellow" if p >= 0.3 else "green"
    return f"[{colour}]{'█' * full}{'░' * (width - full)}[/{colour}]"


def print_thread(console: Console, thread: Thread, scored: list[ScoredComment]) -> None:
    title = thread.title or thread.id or "untitled thread"
    console.rule(f"[bold]{escape(title)}[/bold]")
    if thread.url:
        console.print(f"[dim]{escape(thread.url)}[/dim]")
    if thread.warnings:
        repairs = ", ".join(f"{k} {v}" for k, v in sorted(thread.warnings.items()))
        console.print(f"[yellow]repairs:[/yellow] {escape(repairs)}")
    for item in scored:
        c = item.comment
        indent = "  " * (c.depth - 1)
        flagged = item.score is not None and item.score.flagged
        author = escape(c.author or "(no author)")
        flags = " ".join(f"[dim]{escape(f)}[/dim]" for f in sorted(c.flags))
        mark = "[bold red]▲ flagged[/bold red] " if flagged else ""
        console.print(f"{indent}• {mark}[bold]{author}[/bold] {flags}")
        text = " ".join(c.text.split())
        preview = text if len(text) <= PREVIEW else text[:PREVIEW] + "…"
        body = f"[red]{escape(preview)}[/red]" if flagged else escape(preview)
        console.print(f"{indent}  {body}")
        if item.score is not None:
            bars = [
                f"{SHORT[a]} {bar(p)} {p:.2f}" + _effect(item.score.context_effect.get(a))
                for a in ATTRIBUTES
                if (p := item.score.attributes[a]) >= BAR_MIN
            ]
            if bars:
                console.print(f"{indent}  " + "  ".join(bars))


def _effect(delta: float | None) -> str:
    return f" [magenta]({delta:+.2f} ctx)[/magenta]" if delta is not None and abs(delta) >= 0.05 else ""


def print_summary(console: Console, summary: ThreadSummary, title: str = "summary") -> None:
    table = Table(title=title)
    table.add_column("attribute")
    table.add_column("flagged", justify="right")
    table.add_column("share", justify="right")
    shares = summary.flagged_share()
    for name in ATTRIBUTES:
        table.add_row(name, str(summary.flagged_by_attribute[name]), f"{shares[name]:.1%}")
    console.print(table)
    console.print(
        f"{summary.comments} comments, {summary.scored} scored, {summary.flagged} flagged, "
        f"{summary.changed_by_context} moved ≥ 0.05 by context"
    )
    if summary.targeted_groups:
        groups = ", ".join(f"{g} {n}" for g, n in summary.targeted_groups.most_common())
        console.print(f"most targeted groups: {escape(groups)}")
    if summary.flagged_by_author:
        authors = ", ".join(f"{a} {n}" for a, n in summary.flagged_by_author.most_common(5))
        console.print(f"authors with the most flagged comments: {escape(authors)}")


def print_authors(console: Console, records: Mapping[str, AuthorRecord], top: int = 20) -> None:
    repeat = sorted(
        ((name, r) for name, r in records.items() if len(r.threads) >= 2),
        key=lambda item: (-item[1].flagged, -item[1].comments, item[0]),
    )
    table = Table(title=f"repeat authors (in 2+ threads): {len(repeat)}")
    for column in ("author", "threads", "comments", "flagged", "flagged rate"):
        table.add_column(column, justify="left" if column == "author" else "right")
    for name, r in repeat[:top]:
        rate = f"{r.flagged_rate:.0%}"
        table.add_row(escape(name), str(len(r.threads)), str(r.comments), str(r.flagged), rate)
    console.print(table)


def print_campaigns(console: Console, campaigns: list[list[Posting]], top: int = 10) -> None:
    table = Table(title=f"near-duplicate comments across threads: {len(campaigns)} groups")
    for column in ("copies", "threads", "authors", "text"):
        table.add_column(column)
    for group in campaigns[:top]:
        authors = sorted({p.author or "(unknown)" for p in group})
        text = " ".join(group[0].text.split())
        table.add_row(
            str(len(group)),
            str(len({p.thread for p in group})),
            escape(", ".join(authors[:5]) + ("…" if len(authors) > 5 else "")),
            escape(text[:120] + ("…" if len(text) > 120 else "")),
        )
    console.print(table)
