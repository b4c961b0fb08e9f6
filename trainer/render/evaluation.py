"""The evaluation report: one view (a list of blocks) built from report.json's figures, and two
writers of it, PDF (through HTML and WeasyPrint, tagged, each chart with its alternative text)
and DOCX (python-docx), so that the two cannot say different things.

A block is plain data: `heading`, `paragraph`, `list`, `table`, `chart` (a chart spec for
render/charts.py, its alternative text and caption) or `quotes` (open answers). Every fixed
word goes through the course language's catalogue; numbers are written in its conventions.
The view only arranges and words the figures; it computes none (they are all in report.json).
"""

from __future__ import annotations

import base64
from typing import Any, Callable

from markupsafe import Markup

from ..evaluate import MIN_GROUP, OTHER_GROUP
from .common import BuildContext, RenderEnv, creation_time, docx_bytes, layout, new_docx, render_html

TEMPLATE = "evaluation-report.html"


class Words:
    """The course language's fixed words and number formats, for the view."""

    def __init__(self, language: str, gettext: Callable[..., str], locale: str):
        self.language = language
        self._ = gettext
        self.locale = locale

    def mean(self, value: float | None) -> str:
        if value is None:
            return "–"
        from babel.numbers import format_decimal

        return format_decimal(value, format="0.00", locale=self.locale)

    def signed(self, value: float | None) -> str:
        if value is None:
            return "–"
        text = self.mean(abs(value))
        return ("+" if value > 0 else "−" if value < 0 else "±") + text

    def share(self, value: float | None) -> str:
        if value is None:
            return "–"
        from babel.numbers import format_percent

        return format_percent(value, format="0%", locale=self.locale)


def _words(context: BuildContext) -> Words:
    translator = context.translator
    return Words(translator.language, translator.gettext, translator.locale)


# ---------------------------------------------------------------------------- the view


def view(context: BuildContext, report: dict[str, Any]) -> dict[str, Any]:
    """Everything the report shows, in order."""
    w = _words(context)
    _ = w._
    from .agenda import dates_and_venue

    blocks: list[dict[str, Any]] = []
    facts = dates_and_venue(context)
    facts.append((_("Participants"), str(report["course"]["participants"])))
    used = sum(entry["used"] for entry in report["files"])
    left_out = sum(entry["left_out"] for entry in report["files"])
    duplicates = sum(entry["duplicates"] for entry in report["files"])
    blocks.append(_p(_("Made from {files} file(s) of answers: {used} answers used, {left} row(s) left out because they did not fit the form, {duplicates} duplicate(s) counted once. The rows left out are listed at the end.",
                       files=len(report["files"]), used=used, left=left_out, duplicates=duplicates)))
    blocks.append(_p(_("Groups of fewer than {minimum} respondents are never shown on their own: they are counted in “Other or not shown”, together with the smallest other group when needed, so that no small group can be worked out from the others. Means are of ratings from 1 to 5.", minimum=MIN_GROUP),
                     "note"))
    blocks += _glance(report, w)
    blocks += _responses(report, w)
    blocks += _sessions(report, w)
    blocks += _lowest(report, w)
    blocks += _course(report, w)
    blocks += _objectives(report, w)
    blocks += _change(report, w)
    blocks += _follow_up(report, w)
    blocks += _open(report, w)
    blocks += _annex(report, w)
    for number, block in enumerate(block for block in flat(blocks) if block["type"] == "chart"):
        block["id"] = f"chart-{number + 1}"
    return {
        "title": report["course"]["title"],
        "kicker": _("Evaluation report"),
        "facts": facts,
        "blocks": blocks,
        "language": w.language,
    }


def flat(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks with every group's blocks in its place."""
    out = []
    for block in blocks:
        out.extend(flat(block["blocks"]) if block["type"] == "group" else [block])
    return out


def _group(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Blocks kept on one page where they fit (a heading with its chart and table)."""
    return {"type": "group", "blocks": blocks}


def _p(text: str, style: str = "") -> dict[str, Any]:
    return {"type": "paragraph", "text": text, "style": style}


def _h(level: int, text: str, anchor: str = "") -> dict[str, Any]:
    return {"type": "heading", "level": level, "text": text, "id": anchor}


def _table(columns: list[str], rows: list[list[str]], numeric: list[int] | None = None, caption: str = "",
           widths: list[float] | None = None) -> dict[str, Any]:
    return {"type": "table", "columns": columns, "rows": rows, "numeric": numeric or [], "caption": caption,
            "widths": widths or []}


def _chart(spec: dict[str, Any], alt: str, caption: str = "") -> dict[str, Any]:
    return {"type": "chart", "spec": spec, "alt": alt, "caption": caption}


def _groups_text(entries: list[dict[str, Any]], w: Words, key: str = "mean") -> str:
    """"Women 4.10 (10) · Other or not shown 4.00 (11)": only groups the figures show."""
    if not entries:
        return w._("not shown (groups too small)")
    parts = []
    for entry in entries:
        value = str(entry["n"]) if key == "n" else f"{w.mean(entry.get(key))} ({entry['n']})"
        parts.append(f"{entry['label']} {value}")
    return " · ".join(parts)


def _scale_points(spec_scale: list[int], labels: list[str]) -> list[str]:
    low, high = spec_scale
    out = []
    for point in range(low, high + 1):
        text = str(point)
        if point == low:
            text += f" {labels[0]}"
        elif point == high:
            text += f" {labels[1]}"
        out.append(text)
    return out


def _distribution(rows: list[dict[str, Any]], w: Words, labels: tuple[str, str] = ("", "")) -> dict[str, Any]:
    """A distribution chart spec: one bar per figure, its counts as shares, "n · mean" beside it."""
    _ = w._
    scale = [1, 5]
    out_rows = []
    for row in rows:
        counts = [row["distribution"].get(str(point), 0) for point in range(scale[0], scale[1] + 1)]
        total = sum(counts) or 1
        out_rows.append({"label": row["label"], "counts": counts, "shares": [count / total for count in counts],
                         "note": _("n {n} · mean {mean}", n=row["n"], mean=w.mean(row["mean"]))})
    return {"kind": "distribution", "rows": out_rows, "scale": scale,
            "point_labels": _scale_points(scale, list(labels)) if labels[0] else [str(p) for p in range(1, 6)],
            "legend_title": _("Answers given (1 = lowest, 5 = highest); the number in each bar is how many gave it")}


def _distribution_alt(title: str, rows: list[dict[str, Any]], w: Words) -> str:
    _ = w._
    parts = [_("Bar chart: {title}.", title=title)]
    for row in rows:
        counts = ", ".join(_("{count} gave {point}", count=row["distribution"].get(str(point), 0), point=point)
                           for point in range(1, 6) if row["distribution"].get(str(point), 0))
        parts.append(_("{label}: {n} answers, mean {mean}; {counts}.", label=row["label"], n=row["n"],
                       mean=w.mean(row["mean"]), counts=counts or _("none")))
    return " ".join(parts)


def _glance(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    items = []
    rated = [entry for entry in report["sessions"] if entry["overall"]["mean"] is not None]
    if rated:
        best = max(rated, key=lambda entry: (entry["overall"]["mean"], -entry["number"]))
        worst = min(rated, key=lambda entry: (entry["overall"]["mean"], entry["number"]))
        items.append(_("Best-rated session: Session {number}, {title} (mean {mean}); lowest: Session {low_number}, {low_title} (mean {low_mean}).", number=best["number"], title=best["title"],
                       mean=w.mean(best["overall"]["mean"]), low_number=worst["number"], low_title=worst["title"],
                       low_mean=w.mean(worst["overall"]["mean"])))
    for rating in report["course_ratings"]:
        if rating["id"] == "overall":
            items.append(_("“{text}”: mean {mean} ({n} answers).", text=rating["text"].rstrip("."), mean=w.mean(rating["mean"]), n=rating["n"]))
    inventory = report.get("self_inventory")
    if inventory:
        for section in inventory["sections"]:
            items.append(_("Self-inventory, {section}: mean {start} at the start, {end} at the end.", section=section["section"],
                           start=w.mean(section["start"]["mean"]), end=w.mean(section["end"]["mean"])))
    changes = [item["change"] for item in report["pre_post"] if item["change"] is not None]
    if changes:
        items.append(_("On the statements the pre-course and end-of-course forms share, the mean changed by {change} on average.",
                       change=w.signed(round(sum(changes) / len(changes), 2))))
    if not items:
        return []
    return [_h(2, _("At a glance"), "glance"), {"type": "list", "items": items, "style": "glance"}]


def _form_name(entry: dict[str, Any], w: Words) -> str:
    _ = w._
    if entry.get("when") == "start":
        return _("{title}, at the start", title=entry["title"])
    if entry.get("when") == "end":
        return _("{title}, at the end", title=entry["title"])
    return entry["title"]


def _responses(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    rows, groups = [], []
    for entry in report["responses"]:
        name = _form_name(entry, w)
        rows.append([name, str(entry["n"]), str(entry["participants"]), w.share(entry["rate"]),
                     str(entry["left_out"]) if entry.get("when") != "end" else "–", str(entry["duplicates"]) if entry.get("when") != "end" else "–"])
        groups.append([name, _groups_text(entry["by_gender"], w, "n"), _groups_text(entry["by_sector"], w, "n")])
    return [
        _h(2, _("Answers received"), "answers"),
        _table([_("Form"), _("Answers used"), _("Participants"), _("Share"), _("Rows left out"), _("Duplicates")], rows,
               numeric=[1, 2, 3, 4, 5], widths=[40, 12, 12, 10, 13, 13]),
        _table([_("Form"), _("By gender"), _("By sector")], groups, caption=_("Answers used, by gender and by sector"),
               widths=[30, 35, 35]),
    ]


def _sessions(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    sessions = [entry for entry in report["sessions"] if entry["ratings"]]
    if not sessions:
        return []
    blocks = [_h(2, _("The sessions"), "sessions"),
              _p(_("Each end-of-day form asks three ratings for each session of the day: what it added to knowledge and skills, its relevance to participants' work, and how well its methods helped them learn."))]
    series = [rating["label"] for rating in sessions[0]["ratings"]]
    spec = {"kind": "dots", "scale": [1, 5], "series": series, "axis": _("Mean rating (1 = lowest, 5 = highest)"),
            "rows": [{"label": _("Session {number}", number=entry["number"]) + f": {entry['title']}",
                      "values": [rating["mean"] for rating in entry["ratings"]]} for entry in sessions]}
    alt = _("Chart of the mean ratings of each session.") + " " + " ".join(
        _("Session {number}: {values}.", number=entry["number"],
          values="; ".join(f"{rating['label']} {w.mean(rating['mean'])}" for rating in entry["ratings"]))
        for entry in sessions)
    blocks.append(_chart(spec, alt, _("Mean ratings of each session")))
    header = [_("Session"), _("Day"), _("Answers")] + series + [_("All three")]
    rows = []
    for entry in sessions:
        rows.append([_("Session {number}", number=entry["number"]) + f": {entry['title']}", str(entry["day"]),
                     str(entry["overall"]["respondents"])] + [w.mean(r["mean"]) for r in entry["ratings"]]
                    + [w.mean(entry["overall"]["mean"])])
    blocks.append(_table(header, rows, numeric=list(range(1, len(header))), widths=[37, 7, 10] + [12] * len(series) + [10]))
    for entry in sessions:
        title = _("Session {number}", number=entry["number"]) + f": {entry['title']}"
        note = _("Asked on the end-of-day form of day {day}: {n} answers.", day=entry["day"], n=entry["overall"]["respondents"])
        for other in entry["also_asked"]:
            note += " " + _("The session began on day {day}; that evening's form rated it too: mean {mean} ({n} answers).",
                            day=other["day"], mean=w.mean(other["mean"]), n=other["respondents"])
        blocks.append(_group([
            _h(3, title, entry["session"]),
            _p(note),
            _chart(_distribution(entry["ratings"], w), _distribution_alt(title, entry["ratings"], w)),
            _group_table(entry["ratings"], w),
        ]))
    return blocks


def _group_table(figures: list[dict[str, Any]], w: Words) -> dict[str, Any]:
    """Rows: everyone, each gender group shown, each sector group shown; columns: the figures."""
    _ = w._
    header = [_("Who"), _("Answers")] + [figure["label"] for figure in figures]
    rows = [[_("Everyone"), str(figures[0]["n"])] + [w.mean(figure["mean"]) for figure in figures]]
    for key, title in (("by_gender", _("Gender")), ("by_sector", _("Sector"))):
        groups: list[str] = []
        for figure in figures:
            for entry in figure[key]:
                if entry["group"] not in groups:
                    groups.append(entry["group"])
        if not groups:
            rows.append([f"{title}: " + _("not shown (groups too small)"), "", *[""] * len(figures)])
            continue
        for group in groups:
            entries = [next((e for e in figure[key] if e["group"] == group), None) for figure in figures]
            label = next(e["label"] for e in entries if e is not None)
            n = max(e["n"] for e in entries if e is not None)
            rows.append([f"{title}: {label}", str(n)] + [w.mean(e["mean"]) if e else "–" for e in entries])
    return _table(header, rows, numeric=list(range(1, len(header))), caption=_("Mean ratings by gender and by sector"),
                  widths=[34, 10] + [round(56 / len(figures))] * len(figures))


def _lowest(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    if not report["lowest_sessions"]:
        return []
    blocks = [_h(2, _("What to change next time"), "change-next"),
              _p(_("The three sessions with the lowest mean of all their ratings, and what the participants who rated them 2 or lower wrote on that day's form."))]
    for entry in report["lowest_sessions"]:
        blocks.append(_h(3, _("Session {number}", number=entry["number"]) + f": {entry['title']} · "
                         + _("mean {mean}", mean=w.mean(entry["mean"]))))
        if not entry["comments"]:
            blocks.append(_p(_("{count} participant(s) rated it 2 or lower; none of them wrote a comment that day.",
                               count=entry["low_raters"]), "note"))
        for comment in entry["comments"]:
            blocks.append({"type": "quotes", "question": comment["question"],
                           "items": [{"text": text, "tag": ""} for text in comment["answers"]]})
    return blocks


def _rating_rows(ratings: list[dict[str, Any]], w: Words) -> list[list[str]]:
    return [[rating["text"], str(rating["n"]), w.mean(rating["mean"]), _groups_text(rating["by_gender"], w),
             _groups_text(rating["by_sector"], w)] for rating in ratings]


def _choice_blocks(choices: list[dict[str, Any]], w: Words) -> list[dict[str, Any]]:
    _ = w._
    blocks = []
    for choice in choices:
        if not choice["n"]:
            continue
        rows = [[choice["labels"].get(code, code), str(count), w.share(count / choice["n"])] for code, count in choice["counts"].items()]
        caption = choice["text"] + " " + _("({n} answers)", n=choice["n"])
        if choice["type"] == "multiple":
            caption += " " + _("Several answers each: the shares add up to more than 100%.")
        blocks.append(_table([_("Answer"), _("Chosen by"), _("Share")], rows, numeric=[1, 2], caption=caption, widths=[60, 20, 20]))
        blocks.append(_p(_("By gender: {gender}. By sector: {sector}.", gender=_groups_text(choice["by_gender"], w, "n"),
                           sector=_groups_text(choice["by_sector"], w, "n")), "note"))
    return blocks


def _course(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    ratings = report["course_ratings"]
    if not ratings:
        return []
    figures = [{**rating, "label": rating["text"]} for rating in ratings]
    return [
        _h(2, _("The course as a whole"), "course"),
        _p(_("From the end-of-course evaluation: how far participants agree with each statement (1 not at all, 5 fully).")),
        _chart(_distribution(figures, w), _distribution_alt(_("The course as a whole"), figures, w)),
        _table([_("Statement"), _("Answers"), _("Mean"), _("By gender"), _("By sector")], _rating_rows(ratings, w),
               numeric=[1, 2], widths=[34, 9, 9, 24, 24]),
        *_choice_blocks(report["course_choices"], w),
    ]


def _how(item: dict[str, Any], w: Words) -> str:
    _ = w._
    if item.get("paired"):
        paired = item["paired"]
        return _("paired: {n} participants, {start} → {end} ({change})", n=paired["n"], start=w.mean(paired["start_mean"]),
                 end=w.mean(paired["end_mean"]), change=w.signed(paired["change"]))
    return _("unpaired: all answers at the start and at the end")


def _objectives(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    objectives = report["objectives"]
    if not objectives:
        return []
    rows = []
    for entry in objectives:
        statement = entry["text"] + (f"\n{_('Course objective')}: {entry['objective']}" if entry["objective"] else "")
        start = entry["start"]["mean"] if entry["start"] else None
        rows.append([statement, str(entry["end"]["n"]), w.mean(entry["end"]["mean"]), w.mean(start), w.signed(entry["change"]),
                     _how(entry, w) if entry["start"] else ""])
    figures = [{**entry["end"], "label": entry["text"]} for entry in objectives]
    return [
        _h(2, _("The learning objectives"), "objectives"),
        _p(_("The course's objectives, as the “I can” statements participants rated at the end of the course, and before it on the pre-course questionnaire.")),
        _table([_("Objective"), _("Answers"), _("End"), _("Start"), _("Change"), _("How compared")], rows,
               numeric=[1, 2, 3, 4], widths=[40, 8, 8, 8, 9, 27]),
        _chart(_distribution(figures, w), _distribution_alt(_("The learning objectives at the end of the course"), figures, w),
               _("Ratings at the end of the course")),
    ]


def _change_blocks(items: list[dict[str, Any]], w: Words, title: str) -> list[dict[str, Any]]:
    _ = w._
    spec = {"kind": "change", "scale": [1, 5], "axis": _("Mean rating (1 = lowest, 5 = highest)"),
            "start_label": _("Start"), "end_label": _("End"),
            "rows": [{"label": item["text"], "start": item["start"]["mean"], "end": item["end"]["mean"]} for item in items]}
    alt = _("Chart of the mean rating of each statement at the start and at the end.") + " " + " ".join(
        _("{text}: {start} → {end}.", text=item["text"], start=w.mean(item["start"]["mean"]), end=w.mean(item["end"]["mean"]))
        for item in items)
    rows = [[item["text"], f"{w.mean(item['start']['mean'])} ({item['start']['n']})", f"{w.mean(item['end']['mean'])} ({item['end']['n']})",
             w.signed(item["change"]), _how(item, w)] for item in items]
    return [
        _chart(spec, alt, title),
        _table([_("Statement"), _("Start (answers)"), _("End (answers)"), _("Change"), _("How compared")], rows,
               numeric=[1, 2, 3], widths=[38, 13, 13, 9, 27]),
    ]


def _change(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    inventory = report.get("self_inventory")
    if not inventory and not report["pre_post"]:
        return []
    blocks = [_h(2, _("Change from the start to the end of the course"), "change"),
              _p(_("Where a participant code links a participant's answers at the start and at the end, the change is “paired”: the mean of each participant's own change. Otherwise the means of all answers at the start and at the end are compared (“unpaired”); the two groups may not be the same people."))]
    if inventory:
        blocks.append(_h(3, _("Self-inventory"), "self-inventory"))
        blocks.append(_p(_("{start} answers at the start, {end} at the end.", start=inventory["start"], end=inventory["end"])))
        blocks += _change_blocks(inventory["items"], w, _("Self-inventory: start and end"))
        header = [_("Who")] + [section["section"] for section in inventory["sections"]]
        rows = [[_("Everyone")] + [f"{w.mean(s['start']['mean'])} → {w.mean(s['end']['mean'])}" for s in inventory["sections"]]]
        for key, title in (("by_gender", _("Gender")), ("by_sector", _("Sector"))):
            groups: list[tuple[str, str]] = []
            for section in inventory["sections"]:
                for entry in section["start"][key] + section["end"][key]:
                    if (entry["group"], entry["label"]) not in groups:
                        groups.append((entry["group"], entry["label"]))
            for group, label in groups:
                cells = []
                for section in inventory["sections"]:
                    start = next((e for e in section["start"][key] if e["group"] == group), None)
                    end = next((e for e in section["end"][key] if e["group"] == group), None)
                    cells.append(f"{w.mean(start['mean']) if start else '–'} → {w.mean(end['mean']) if end else '–'}")
                rows.append([f"{title}: {label}"] + cells)
        blocks.append(_table(header, rows, numeric=list(range(1, len(header))),
                             caption=_("Each participant's mean over a section's statements, start → end, by gender and by sector"),
                             widths=[34] + [round(66 / len(inventory["sections"]))] * len(inventory["sections"])))
    if report["pre_post"]:
        blocks.append(_h(3, _("Pre-course and end-of-course statements"), "pre-post"))
        blocks += _change_blocks(report["pre_post"], w, _("Pre-course and end-of-course: start and end"))
    return blocks


def _follow_up(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    follow = report.get("follow_up")
    if not follow:
        return []
    figures = [{**rating, "label": rating["text"]} for rating in follow["ratings"]]
    blocks = [_h(2, _("Follow-up"), "follow-up"),
              _p(_("{n} participants answered the follow-up questionnaire (1 not at all, 5 very much).", n=follow["n"]))]
    if figures:
        blocks.append(_chart(_distribution(figures, w), _distribution_alt(_("Follow-up"), figures, w)))
        blocks.append(_table([_("Question"), _("Answers"), _("Mean"), _("By gender"), _("By sector")],
                             _rating_rows(follow["ratings"], w), numeric=[1, 2], widths=[34, 9, 9, 24, 24]))
    blocks += _choice_blocks(follow["choices"], w)
    return blocks


def _open(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    if not report["open_answers"]:
        return []
    blocks = [_h(2, _("Open answers"), "open"),
              _p(_("Every written answer, by form and question, as written. An answer shows its writer's gender group only where that group has at least {minimum} respondents on the form.", minimum=MIN_GROUP), "note")]
    title = None
    for entry in report["open_answers"]:
        if entry["title"] != title:
            title = entry["title"]
            blocks.append(_h(3, title))
        blocks.append({"type": "quotes", "question": entry["question"],
                       "items": [{"text": answer["text"], "tag": answer["label"] or ""} for answer in entry["answers"]]})
    return blocks


def _annex(report: dict[str, Any], w: Words) -> list[dict[str, Any]]:
    _ = w._
    rows = []
    for entry in report["files"]:
        notes = []
        if entry["same_as"]:
            notes.append(_("the same file as {name}: read once", name=entry["same_as"]))
        if entry["unknown_columns"]:
            notes.append(_("columns ignored: {names}", names=", ".join(entry["unknown_columns"])))
        form = entry["title"] or ""
        rows.append([entry["file"], form, str(entry["rows"]), str(entry["used"]), str(entry["left_out"]), str(entry["duplicates"]),
                     "; ".join(notes)])
    blocks = [_h(2, _("The files read"), "files"),
              _table([_("File"), _("Form"), _("Rows"), _("Used"), _("Left out"), _("Duplicates"), _("Notes")], rows,
                     numeric=[2, 3, 4, 5], widths=[22, 21, 7, 7, 8, 12, 23])]
    if report["problems"]:
        blocks.append(_h(3, _("Rows left out, and columns ignored")))
        blocks.append({"type": "list", "style": "problems",
                       "items": [f"{problem['file']}:{problem['row']}: {problem['message']}" for problem in report["problems"]]})
    return blocks


# ---------------------------------------------------------------------------- the writers


def render(prepared: Any, report: dict[str, Any]) -> dict[str, bytes]:
    """report.pdf and report.docx from one view; each chart drawn once for both."""
    from . import charts

    course = prepared.course
    context = BuildContext(prepared, paper=course.paper, created=creation_time(prepared.input))
    values = view(context, report)
    env = context.env()
    images = {block["id"]: charts.render(block["spec"]) for block in flat(values["blocks"]) if block["type"] == "chart"}
    return {"report.pdf": pdf(env, values, images), "report.docx": docx(env, values, images)}


def pdf(env: RenderEnv, values: dict[str, Any], images: dict[str, bytes]) -> bytes:
    """The report as a tagged PDF: headings, tables and lists carry their structure, and every
    chart its alternative text, for screen readers."""
    sources = {key: Markup("data:image/png;base64," + base64.b64encode(data).decode("ascii")) for key, data in images.items()}
    html = render_html(env, TEMPLATE, title=values["title"], kicker=values["kicker"], facts=values["facts"],
                       blocks=values["blocks"], images=sources)
    return layout(env, html).write_pdf(pdf_tags=True)


def docx(env: RenderEnv, values: dict[str, Any], images: dict[str, bytes]) -> bytes:
    """The same report as a Word file for editing: the same blocks, the same charts (with their
    alternative text as the pictures' descriptions)."""
    import io

    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = new_docx(env)
    accent = RGBColor(0x0A, 0x5E, 0x8C)
    muted = RGBColor(0x5B, 0x66, 0x73)
    kicker = document.add_paragraph(values["kicker"].upper())
    kicker.runs[0].font.size = Pt(8)
    heading = document.add_heading(values["title"], level=0)
    for run in heading.runs:
        run.font.color.rgb = accent
    for label, value in values["facts"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    width = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    for block in flat(values["blocks"]):
        kind = block["type"]
        if kind == "heading":
            title = document.add_heading(block["text"], level=block["level"] - 1)
            for run in title.runs:
                run.font.color.rgb = accent
        elif kind == "paragraph":
            paragraph = document.add_paragraph(block["text"])
            if block["style"] == "note":
                for run in paragraph.runs:
                    run.font.color.rgb = muted
                    run.italic = True
        elif kind == "list":
            for item in block["items"]:
                paragraph = document.add_paragraph(item, style="List Bullet")
                if block.get("style") == "problems":
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
        elif kind == "quotes":
            question = document.add_paragraph()
            question.add_run(block["question"]).bold = True
            for item in block["items"]:
                paragraph = document.add_paragraph(f"“{item['text']}”", style="List Bullet")
                if item["tag"]:
                    tag = paragraph.add_run(f" ({item['tag']})")
                    tag.italic = True
                    tag.font.color.rgb = muted
        elif kind == "table":
            if block["caption"]:
                caption = document.add_paragraph()
                caption.add_run(block["caption"]).bold = True
            table = document.add_table(rows=1, cols=len(block["columns"]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            widths = block["widths"] or [100 / len(block["columns"])] * len(block["columns"])
            total = sum(widths)
            for index, text in enumerate(block["columns"]):
                cell = table.rows[0].cells[index]
                cell.text = ""
                run = cell.paragraphs[0].add_run(text)
                run.bold = True
                run.font.size = Pt(8.5)
            for row in block["rows"]:
                cells = table.add_row().cells
                for index, text in enumerate(row):
                    cells[index].text = ""
                    run = cells[index].paragraphs[0].add_run(text)
                    run.font.size = Pt(8.5)
                    if index in block["numeric"]:
                        cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for row in table.rows:
                for index, cell in enumerate(row.cells):
                    cell.width = int(width * widths[index] / total)
            document.add_paragraph()
        elif kind == "chart":
            document.add_picture(io.BytesIO(images[block["id"]]), width=Cm(17))
            inline = document.inline_shapes[-1]._inline
            inline.docPr.set("descr", block["alt"])
            inline.docPr.set("title", block["caption"] or values["title"])
            if block["caption"]:
                caption = document.add_paragraph(block["caption"])
                caption.runs[0].italic = True
    return docx_bytes(document, env, f"{values['title']} – {values['kicker']}")


# ---------------------------------------------------------------------------- history


def _measure_labels(w: Words) -> dict[str, str]:
    _ = w._
    return {
        "knowledge": _("Knowledge and skills added"),
        "relevance": _("Relevance to work"),
        "methods": _("Methods"),
        "overall": _("All three"),
        "sessions": _("All session ratings"),
        "course": _("All course ratings"),
        "objectives": _("Learning objectives"),
    }


def history_view(context: BuildContext, found: dict[str, Any]) -> dict[str, Any]:
    """The courses recorded, compared: a chart of the means in date order and their table."""
    w = _words(context)
    _ = w._
    labels = _measure_labels(w)
    if found["scope"] != "course":
        labels["overall"] = _("All three")
        session = context.course_input.library.sessions.get(found["scope"])
        name = _("Session {number}", number=session.number) + context.translator.colon + session.title if session else found["scope"]
        title = _("{session}: ratings across courses", session=name)
    else:
        labels["overall"] = _("Overall, worth the time")
        title = _("Courses compared")
    courses = found["courses"]
    names = [f"{course['title']}\n{course['start_date'] or ''}" for course in courses]
    series = [{"label": labels[m], "values": [(c["values"].get(m) or {}).get("mean") for c in courses]} for m in found["measures"]]
    spec = {"kind": "history", "courses": names, "series": series, "scale": [1, 5],
            "axis": _("Mean rating (1 = lowest, 5 = highest)")}
    alt = _("Chart of the mean ratings of each course, oldest first.") + " " + " ".join(
        f"{course['title']} ({course['start_date'] or '–'}): "
        + "; ".join(f"{labels[m]} {w.mean((course['values'].get(m) or {}).get('mean'))}" for m in found["measures"]) + "."
        for course in courses)
    rows = []
    for course in courses:
        cells = []
        for m in found["measures"]:
            value = course["values"].get(m)
            cells.append(f"{w.mean(value['mean'])} ({value['n']})" if value and value["mean"] is not None else "–")
        rows.append([course["title"], course["start_date"] or "", course["city"] or "", str(course["responses"]), *cells])
    blocks = [
        _p(_("Every course recorded in the history, oldest first: means of ratings from 1 to 5, with the number of answers in brackets.")),
        _chart(spec, alt, title),
        _table([_("Course"), _("First day"), _("City"), _("Answers")] + [labels[m] for m in found["measures"]], rows,
               numeric=list(range(3, 4 + len(found["measures"]))),
               widths=[24, 12, 12, 9] + [round(43 / len(found["measures"]), 1)] * len(found["measures"])),
    ]
    for number, block in enumerate(block for block in blocks if block["type"] == "chart"):
        block["id"] = f"chart-{number + 1}"
    return {"title": title, "kicker": _("Evaluation history"), "facts": [], "blocks": blocks, "language": w.language}


def write_history(prepared: Any, course_dir: Any, found: dict[str, Any]) -> Any:
    """history.pdf (or history-session-5.pdf) in the build's evaluation folder; returns its path."""
    from pathlib import Path

    from ..evaluate import _write_all
    from . import charts

    context = BuildContext(prepared, paper=prepared.course.paper, created=creation_time(prepared.input))
    values = history_view(context, found)
    images = {block["id"]: charts.render(block["spec"]) for block in values["blocks"] if block["type"] == "chart"}
    name = "history.pdf" if found["scope"] == "course" else f"history-{found['scope']}.pdf"
    folder = Path(course_dir if course_dir is not None else ".") / "build" / "evaluation"
    return _write_all(folder, {name: pdf(context.env(), values, images)})[0]
