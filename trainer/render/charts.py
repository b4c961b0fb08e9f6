"""Charts of the evaluation report, drawn with matplotlib from plain chart specs in the view.

Only `trainer evaluate` imports this module (matplotlib is heavy). Every chart must read in
black-and-white print: scale points are told apart by lightness (a ramp from white to near
black) and by the count written in each segment, series by marker shape and line style, never
by hue alone. The PNG is the same bytes for the same spec (no date or version inside).
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

RAMP = ("#ffffff", "#c9d9e6", "#86a9c4", "#3f6f94", "#0b2f4a")
"""Fill of the scale points, lightest (the low end) to darkest: distinct in grey print."""
HATCH = ("////", "", "", "", "")
"""The lowest point is hatched as well, so that it differs from paper."""
INK = "#1d2733"
MUTED = "#5b6673"
MARKERS = ("o", "s", "^", "D", "v", "P")
LINES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))
WIDTH = 6.9
"""Inches: the text width of an A4 page with the documents' margins."""
DPI = 200


def render(spec: dict[str, Any]) -> bytes:
    """The PNG of one chart spec (see the view in render/evaluation.py)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    draw = {"distribution": _distribution, "dots": _dots, "change": _change, "history": _history}[spec["kind"]]
    with matplotlib.rc_context(_style()):
        figure = draw(plt, spec)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.04)
        plt.close(figure)
    return buffer.getvalue()


def _style() -> dict[str, Any]:
    return {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "text.color": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "hatch.color": MUTED,
        "hatch.linewidth": 0.6,
        "svg.hashsalt": "trainer",
        "text.parse_math": False,  # a "$" in a question's text is a dollar, not mathematics
        "path.simplify": False,
    }


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, max_lines=3, placeholder="…")) or text


def _row_height(labels: list[str], least: float) -> float:
    """Inches per row: enough for the longest wrapped label (7.5-8 pt lines) to clear its neighbours."""
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(least, 0.14 * lines + 0.1)


def _distribution(plt: Any, spec: dict[str, Any]) -> Any:
    """Stacked bars, one per question: how many gave each point of the scale, with n and mean."""
    rows = spec["rows"]
    low, high = spec["scale"]
    points = list(range(low, high + 1))
    labels = [_wrap(row["label"], 34) for row in rows]
    height = 0.5 + _row_height(labels, 0.42) * len(rows) + 0.35
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    positions = list(range(len(rows)))[::-1]
    for index, point in enumerate(points):
        shade = RAMP[round(index * (len(RAMP) - 1) / max(1, len(points) - 1))]
        hatch = HATCH[0] if index == 0 else ""
        lefts = [sum(row["shares"][:index]) for row in rows]
        widths = [row["shares"][index] for row in rows]
        bars = axes.barh(positions, widths, left=lefts, height=0.62, color=shade, edgecolor=INK, linewidth=0.5,
                         hatch=hatch, label=spec["point_labels"][index])
        for bar, row in zip(bars, rows):
            count = row["counts"][index]
            if count and bar.get_width() >= 0.045:
                dark = index >= len(points) * 0.6
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(count),
                          ha="center", va="center", fontsize=7.5, color="white" if dark else INK,
                          fontweight="bold", bbox=None if dark else {"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    for position, row in zip(positions, rows):
        axes.text(1.015, position, row["note"], va="center", ha="left", fontsize=8, transform=axes.get_yaxis_transform())
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, 1)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(ncols=len(points), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7.5,
                handlelength=1.4, columnspacing=1.0, title=spec.get("legend_title"), title_fontsize=7.5,
                alignment="left")
    figure.subplots_adjust(right=0.8)
    return figure


def _dots(plt: Any, spec: dict[str, Any]) -> Any:
    """Means of several series per row on one scale: marker shape tells the series apart."""
    rows = spec["rows"]
    low, high = spec["scale"]
    labels = [_wrap(row["label"], 40) for row in rows]
    height = 0.6 + _row_height(labels, 0.36) * len(rows) + 0.3
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    positions = list(range(len(rows)))[::-1]
    offsets = [(-0.16 + 0.32 * i / max(1, len(spec["series"]) - 1)) if len(spec["series"]) > 1 else 0
               for i in range(len(spec["series"]))]
    for index, series in enumerate(spec["series"]):
        xs, ys = [], []
        for position, row in zip(positions, rows):
            value = row["values"][index]
            if value is not None:
                xs.append(value)
                ys.append(position + offsets[index])
        axes.plot(xs, ys, linestyle="none", marker=MARKERS[index], markersize=6,
                  markerfacecolor=("white" if index == 1 else RAMP[4 - index]), markeredgecolor=INK, markeredgewidth=0.8,
                  label=series)
    axes.set_yticks(positions, labels)
    axes.set_xlim(low - 0.1, high + 0.1)
    axes.set_xticks(range(low, high + 1))
    axes.grid(axis="x", color="#c9d3dc", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_xlabel(spec["axis"])
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(ncols=len(spec["series"]), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7.5)
    return figure


def _change(plt: Any, spec: dict[str, Any]) -> Any:
    """Start and end means per statement: an open circle, an arrow, a filled circle."""
    rows = spec["rows"]
    low, high = spec["scale"]
    labels = [_wrap(row["label"], 46) for row in rows]
    height = 0.6 + _row_height(labels, 0.34) * len(rows) + 0.3
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    positions = list(range(len(rows)))[::-1]
    for position, row in zip(positions, rows):
        start, end = row["start"], row["end"]
        if start is not None and end is not None and abs(end - start) > 0.05:
            axes.annotate("", xy=(end, position), xytext=(start, position),
                          arrowprops={"arrowstyle": "-|>", "color": MUTED, "linewidth": 1.0, "shrinkA": 4, "shrinkB": 4})
    starts = [(row["start"], p) for row, p in zip(rows, positions) if row["start"] is not None]
    ends = [(row["end"], p) for row, p in zip(rows, positions) if row["end"] is not None]
    if starts:
        axes.plot(*zip(*starts), linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                  markeredgecolor=INK, markeredgewidth=1.0, label=spec["start_label"])
    if ends:
        axes.plot(*zip(*ends), linestyle="none", marker="o", markersize=6, markerfacecolor=INK,
                  markeredgecolor=INK, label=spec["end_label"])
    axes.set_yticks(positions, labels)
    axes.set_xlim(low - 0.1, high + 0.1)
    axes.set_xticks(range(low, high + 1))
    axes.grid(axis="x", color="#c9d3dc", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_xlabel(spec["axis"])
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7.5)
    return figure


def _history(plt: Any, spec: dict[str, Any]) -> Any:
    """Means of each series over the courses, in date order: shape and line style per series."""
    courses = spec["courses"]
    low, high = spec["scale"]
    figure, axes = plt.subplots(figsize=(WIDTH, 3.0))
    xs = list(range(len(courses)))
    for index, series in enumerate(spec["series"]):
        points = [(x, value) for x, value in zip(xs, series["values"]) if value is not None]
        if points:
            axes.plot(*zip(*points), marker=MARKERS[index % len(MARKERS)], linestyle=LINES[index % len(LINES)],
                      color=INK if index % 2 == 0 else MUTED, markerfacecolor="white" if index % 2 else INK,
                      markersize=6, linewidth=1.2, label=series["label"])
    axes.set_xticks(xs, [_wrap(label, 18) for label in courses])
    axes.set_ylim(low - 0.1, high + 0.1)
    axes.set_yticks(range(low, high + 1))
    axes.set_ylabel(spec["axis"])
    axes.grid(axis="y", color="#c9d3dc", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(ncols=min(4, len(spec["series"])), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7.5)
    return figure
