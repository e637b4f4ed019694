"""Charts as inline SVG, drawn on the server: no script, no CDN. Only numbers and dates go in."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from threadguard.attributes import ATTRIBUTES

COLOURS = dict(
    zip(
        ATTRIBUTES, ("#d62728", "#8c1c13", "#9467bd", "#ff7f0e", "#7f7f7f", "#1f77b4", "#e377c2"), strict=True
    )
)
WIDTH, HEIGHT, PAD = 720, 220, 40


def _x(i: int, n: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (i / max(n - 1, 1))


def _bar_x(i: int, n: int) -> float:
    """Centre of the i-th of n bars."""
    return PAD + (WIDTH - 2 * PAD) * (i + 0.5) / max(n, 1)


def _frame(
    title: str, body: list[str], top: str, days: list[str], x_of: Callable[[int, int], float] = _x
) -> str:
    labels = []
    if days:
        for i in sorted({0, len(days) - 1, len(days) // 2}):
            x = x_of(i, len(days))
            labels.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(days[i])}</text>')
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<line x1="{PAD}" y1="{PAD / 2}" x2="{PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="{PAD - 4}" y="{PAD / 2 + 4}" text-anchor="end">{escape(top)}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end">0</text>'
        + "".join(body) + "".join(labels) + "</svg>"
    )  # fmt: skip


def volume_chart(daily: list[dict[str, Any]]) -> str:
    """Comments per day, as bars."""
    days = [d["day"] for d in daily]
    peak = max((d["total"] for d in daily), default=0) or 1
    span = (WIDTH - 2 * PAD) / max(len(daily), 1)
    bars = []
    for i, d in enumerate(daily):
        h = (HEIGHT - 1.5 * PAD) * d["total"] / peak
        x = PAD + i * span + span * 0.1
        bars.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{span * 0.8:.1f}" height="{h:.1f}" '
            f'class="bar">'
            f"<title>{escape(d['day'])}: {d['total']}</title></rect>"
        )
    return _frame("comments per day", bars, str(peak), days, x_of=_bar_x)


def flagged_chart(daily: list[dict[str, Any]]) -> str:
    """Share of each day's comments flagged for each attribute, as one line per attribute."""
    days = [d["day"] for d in daily]
    peak = max((max(d["flagged_share"].values(), default=0) for d in daily), default=0) or 1.0
    lines = []
    for attribute in ATTRIBUTES:
        scale = (HEIGHT - 1.5 * PAD) / peak
        xy = [
            (_x(i, len(daily)), HEIGHT - PAD - scale * d["flagged_share"][attribute])
            for i, d in enumerate(daily)
        ]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        lines.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[attribute]}" stroke-width="2">'
            f"<title>{attribute}</title></polyline>"
        )
        lines += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[attribute]}"><title>{attribute} '
            f"{escape(d['day'])}: {d['flagged_share'][attribute]:.0%}</title></circle>"
            for (x, y), d in zip(xy, daily, strict=True)
        ]
    return _frame("share flagged per attribute per day", lines, f"{peak:.0%}", days)
