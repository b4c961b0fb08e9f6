"""Diagrams and charts: the visual ideas the sessions teach, as data (`diagrams/`).

A diagram is boxes, arrows and labelled groups placed on a grid (or around a cycle, or along
a timeline); a chart is a small set of dated figures with their source. One renderer
(`trainer.render.diagrams`) draws either as native, editable PowerPoint shapes and charts for
the decks and as SVG for the printed documents, so a translation or a course's own slide
template restyles the drawing without anyone redrawing it. A segment shows a diagram with
`diagram: <id>`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from .base import Id, Strict, Text
from .content import Source

Layout = Literal["grid", "cycle", "timeline", "chart"]
"""How the boxes are placed: `grid` (each box at its `row` and `col`, spanning `rows` and
`cols`), `cycle` (the boxes in order around a circle, each leading to the next, the last back
to the first), `timeline` (the boxes in order along a line, from left to right) or `chart`
(no boxes: the `chart` figures)."""

Style = Literal["box", "accent", "light", "plain"]
"""How a box is drawn: `box` (outlined), `accent` (filled with the template's accent colour,
for the idea the others hang on), `light` (a pale fill, for secondary boxes) or `plain` (text
only, no outline)."""


class Box(Strict):
    """One box of a diagram: a short label and, under it, an optional line or two."""

    id: Id
    """Unique within the diagram; arrows and groups name boxes by it."""
    label: Text
    """The box's heading: a few words, in bold."""
    text: str = ""
    """What the box says under its label (one or two short lines)."""
    row: int = Field(default=0, ge=0, le=11)
    """For `grid`: the row (0 at the top)."""
    col: int = Field(default=0, ge=0, le=11)
    """For `grid`: the column (0 at the left; mirrored in right-to-left decks)."""
    rows: int = Field(default=1, ge=1, le=12)
    """For `grid`: how many rows the box spans."""
    cols: int = Field(default=1, ge=1, le=12)
    """For `grid`: how many columns the box spans."""
    style: Style = "box"
    segment: Id | None = None
    """For a `timeline` step: the session segment whose clock time the step shows, from the
    course's agenda (nothing is shown when the course does not run it)."""
    until: Id | None = None
    """For a `timeline` step that runs over several segments: the last of them (the step
    then shows the time from `segment`'s start to this one's end)."""


class Arrow(Strict):
    """An arrow from one box to another, with an optional label."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, populate_by_name=True)

    start: Id = Field(alias="from")
    """The box the arrow leaves (`from:` in YAML)."""
    to: Id
    """The box it points to."""
    label: str = ""
    """A word or two written beside the arrow."""
    both: bool = False
    """Whether it points both ways (a relationship rather than a sequence)."""


class Group(Strict):
    """A labelled frame around boxes (or other groups) that belong together."""

    id: Id
    label: Text
    members: list[Id] = Field(min_length=1)
    """The boxes and groups inside the frame."""


class ChartValue(Strict):
    """One figure of a chart."""

    label: Text
    value: float = Field(ge=0)


class Chart(Strict):
    """Figures drawn as a native chart. A figure is charted only with its year and source:
    the model refuses a chart without them ("every fact says where from and as of when")."""

    type: Literal["doughnut", "pie", "bar", "column"]
    unit: Text
    """What the values count, e.g. "% of the world's population" or "million people"."""
    values: list[ChartValue] = Field(min_length=1, max_length=12)
    year: int = Field(ge=1900, le=2100)
    """The year the figures refer to (the data's year, not the publication's)."""
    source: Text
    """Where the figures come from, as it is shown under the chart (e.g. "UN DESA,
    International Migrant Stock 2020, as cited in HR/P/PT/26, p. 30")."""
    note: str = ""
    """A short line shown with the source (what the figures leave out, how they were rounded)."""


class Diagram(Strict):
    """A diagram or chart of the library (`diagrams/<id>.yaml`)."""

    id: Id
    title: Text
    """The title of the slide that shows it (and of the figure in printed documents)."""
    description: Text
    """What the drawing shows, in a sentence or two: its text alternative for screen readers,
    and the opening of the slide's speaker notes."""
    layout: Layout = "grid"
    fit: Literal["wide", "half"] = "wide"
    """`wide`: a slide of its own, under its title; `half`: beside the segment's points (the
    two-content layout), when they fit there."""
    boxes: list[Box] = []
    arrows: list[Arrow] = []
    groups: list[Group] = []
    centre: str = ""
    """For `cycle`: a line written in the middle of the circle."""
    chart: Chart | None = None
    notes: str = ""
    """How to present it (Markdown): the slide's speaker notes, after the description."""
    written_for_course: bool = True
    """Whether the drawing is the project's own summary (it says so under the drawing, with
    its source) rather than a figure reproduced from the source."""
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Diagram:
        if self.layout == "chart":
            if self.chart is None or self.boxes:
                raise ValueError("a 'chart' diagram needs 'chart' and no 'boxes'")
            return self
        if self.chart is not None:
            raise ValueError("'chart' needs layout: chart")
        if not self.boxes:
            raise ValueError(f"a '{self.layout}' diagram needs 'boxes'")
        ids = [box.id for box in self.boxes]
        groups = [group.id for group in self.groups]
        for name in ids + groups:
            if (ids + groups).count(name) > 1:
                raise ValueError(f"'{name}' is the id of more than one box or group")
        for arrow in self.arrows:
            for end in (arrow.start, arrow.to):
                if end not in ids:
                    raise ValueError(f"an arrow names '{end}', which is not a box of this diagram")
        for group in self.groups:
            for member in group.members:
                if member not in ids and member not in groups:
                    raise ValueError(f"group '{group.id}' names '{member}', which is not a box or group of this diagram")
        if self.layout == "cycle" and not 3 <= len(self.boxes) <= 8:
            raise ValueError("a 'cycle' needs 3 to 8 boxes")
        if self.layout == "timeline" and not 2 <= len(self.boxes) <= 8:
            raise ValueError("a 'timeline' needs 2 to 8 boxes")
        if self.layout == "grid":
            taken: dict[tuple[int, int], str] = {}
            for box in self.boxes:
                for r in range(box.row, box.row + box.rows):
                    for c in range(box.col, box.col + box.cols):
                        if (r, c) in taken:
                            raise ValueError(f"boxes '{taken[(r, c)]}' and '{box.id}' overlap at row {r}, col {c}")
                        taken[(r, c)] = box.id
        return self
