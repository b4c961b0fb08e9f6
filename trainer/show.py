"""Terminal views of the library for `trainer list` and `trainer show` (rich renderables)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .errors import UnknownItem
from .loader import Library
from .models import Activity, Form, Handout, Module, Session
from .validation import suggest


def list_table(library: Library, kind: str) -> Table:
    """A table of every item of one kind."""
    table = Table(title=kind.capitalize(), title_justify="left", show_lines=False)
    if kind == "modules":
        table.add_column("id")
        table.add_column("title")
        table.add_column("sessions")
        for module in sorted(library.modules.values(), key=lambda m: m.number):
            table.add_row(module.id, f"Module {module.number}: {module.title}", ", ".join(module.sessions))
    elif kind == "sessions":
        for column in ("id", "module", "title", "duration", "planned", "segments"):
            table.add_column(column)
        for session in library.sessions.values():
            table.add_row(
                session.id,
                session.module,
                f"Session {session.number}: {session.title}",
                session.duration.describe(),
                session.planned_minutes().describe(),
                str(len(session.plan)),
            )
    elif kind == "activities":
        for column in ("id", "title", "time", "grouping", "used in"):
            table.add_column(column)
        for activity in sorted(library.activities.values(), key=lambda a: a.id):
            table.add_row(activity.id, activity.title, activity.minutes.describe(), activity.grouping, _used_in(library, activity.id))
    elif kind == "handouts":
        for column in ("id", "title", "audience", "print per", "used in"):
            table.add_column(column)
        for handout in sorted(library.handouts.values(), key=lambda h: h.id):
            table.add_row(handout.id, handout.title, handout.audience, handout.per, _used_in(library, handout.id))
    else:
        for column in ("id", "title", "kind", "questions"):
            table.add_column(column)
        for form in sorted(library.forms.values(), key=lambda f: f.id):
            table.add_row(form.id, form.title, form.kind, str(len(form.questions())))
    for entry in library.entries.values():
        if entry.local and entry.kind == kind.rstrip("s").replace("activitie", "activity"):
            table.caption = "local items included"
    return table


def _used_in(library: Library, item_id: str) -> str:
    sessions = [
        f"s{session.number}"
        for session in library.sessions.values()
        if item_id in session.handouts or item_id in session.activities
    ]
    return ", ".join(sessions)


def render_item(library: Library, item_id: str) -> list[RenderableType]:
    """Renderables that show one item; raises UnknownItem (with a suggestion) for a bad id."""
    entry = library.entries.get(item_id)
    if entry is None:
        raise UnknownItem(f"no module, session, activity, handout or form has the id '{item_id}'{suggest(item_id, library.entries)}")
    item = entry.item
    header = Text(f"{entry.kind} · {item.id} · {entry.located.file}", style="dim")
    if isinstance(item, Session):
        return [header, *_session(item)]
    if isinstance(item, Activity):
        return [header, *_activity(item)]
    if isinstance(item, Handout):
        body = item.body or f"(generated from the course: {item.generated})"
        return [header, Panel(Markdown(body), title=Text(item.title), title_align="left")]
    if isinstance(item, Form):
        return [header, *_form(item)]
    assert isinstance(item, Module)
    return [header, Panel(Markdown(item.aim), title=Text(f"Module {item.number}: {item.title}"), title_align="left"),
            Text("Sessions: " + ", ".join(item.sessions))]


def _bullets(title: str, items: list[str]) -> RenderableType:
    return Markdown(f"**{title}**\n\n" + "\n".join(f"- {item}" for item in items)) if items else Text("")


def _session(session: Session) -> list[RenderableType]:
    overview = Group(
        Markdown(session.aim),
        _bullets("Learning objectives", session.objectives),
        _bullets("Key messages", session.key_messages),
        _bullets("Preparation", session.preparation),
        _bullets("Equipment", session.equipment),
        _bullets("Handouts", session.handouts),
        _bullets("Activities", session.activities),
    )
    details = "; ".join(filter(None, [session.duration.describe(), session.methods]))
    title = f"Session {session.number}: {session.title} ({details})"
    plan = Table(title="Session plan", title_justify="left", show_lines=True)
    plan.add_column("time", no_wrap=True)
    plan.add_column("segment")
    plan.add_column("resources")
    for segment in session.plan:
        flags = []
        if segment.optional:
            flags.append("optional")
        if segment.slides:
            flags.append("slides")
        if segment.choice:
            flags.append("choose: " + " / ".join(alt.activity for alt in segment.choice))
        elif segment.activity:
            flags.append(f"activity: {segment.activity}")
        label = Text(segment.title, style="bold")
        if flags:
            label.append(f"  [{'; '.join(flags)}]", style="dim")
        for part in segment.parts:
            label.append(f"\n  {part.minutes.describe():>10}  {part.title}")
        plan.add_row(segment.minutes.describe(), label, "\n".join(segment.resources))
    return [Panel(overview, title=Text(title), title_align="left"), plan]


def _activity(activity: Activity) -> list[RenderableType]:
    parts: list[Any] = [
        Markdown(f"**Purpose.** {activity.purpose}\n\n**Time:** {activity.minutes.describe()} · **Grouping:** {activity.grouping}"),
    ]
    if activity.setup:
        parts.append(Markdown("**Set-up**\n\n" + activity.setup))
    parts.append(_bullets("Materials", [f"{m.item} ({m.quantity} per {m.per})" for m in activity.materials]))
    parts.append(_bullets("Handouts", [f"{h.handout} ({h.quantity} per {h.per})" for h in activity.handouts]))
    parts.append(Markdown("**Steps**\n\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(activity.steps, 1))))
    parts.append(_bullets("Debrief", activity.debrief))
    for variant in activity.variants:
        parts.append(_bullets(f"Variant: {variant.title}", variant.questions or variant.steps))
    return [Panel(Group(*parts), title=Text(activity.title), title_align="left")]


def _form(form: Form) -> list[RenderableType]:
    table = Table(title=Text(f"{form.title} ({form.kind})"), title_justify="left")
    for column in ("id", "question", "type", "level"):
        table.add_column(column)
    for section in form.sections:
        table.add_row("", Text(section.title, style="bold"), "", "")
        for question in section.questions:
            text = question.text + (f"  (for each {question.for_each})" if question.for_each else "")
            table.add_row(question.id, text, question.type, question.level)
    return [table]


WIDTH = 80
"""`trainer plan` is read at 80 columns: every line fits."""


def _fit(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _item_name(item, width: int = 1000) -> str:  # type: ignore[no-untyped-def]
    """An agenda item's name with its notes; the title is cut to `width`, never the notes."""
    if item.kind == "session":
        name = item.label or f"Session {item.number}: {item.title}"
        if item.continued and not item.label:
            name = f"Session {item.number} (continued)"
        notes = []
        if item.includes_break and not item.continued:
            notes.append("includes break")
        if item.time_in_hand >= 5:  # a few minutes before a break are not worth a note
            notes.append(f"{item.time_in_hand} min in hand")
        tail = f" ({'; '.join(notes)})" if notes else ""
        return _fit(name, max(20, width - len(tail))) + tail
    if item.kind == "time-in-hand":
        return f"Time in hand ({item.minutes} min)"
    return _fit(item.title, width)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def agenda_lines(prepared) -> list[RenderableType]:  # type: ignore[no-untyped-def]
    """The agenda for `trainer plan`: one line per item, every line within 80 columns."""
    from .schedule import clock

    agenda = prepared.agenda
    out: list[RenderableType] = [Text(_fit(prepared.title), style="bold")]
    for day in agenda.days:
        heading = f"Day {day.number}" + (f" · {day.date:%A %d %B %Y}" if day.date else "")
        out.append(Text(""))
        out.append(Text(heading, style="bold"))
        for item in day.items:
            line = f"  {clock(item.start)}-{clock(item.end)}  {_item_name(item, WIDTH - 15)}"
            style = "" if item.kind == "session" else "cyan"
            out.append(Text(_fit(line), style=style))
    return out


def plan_summary(prepared) -> list[RenderableType]:  # type: ignore[no-untyped-def]
    """What `trainer plan` says after the agenda: the changes in one line per session, the
    adaptations by rule, the warnings once each, and where to see more."""
    from .adapt import time_effect

    agenda = prepared.agenda
    out: list[RenderableType] = []
    by_session: dict[str, list] = {}  # type: ignore[type-arg]
    for change in agenda.changes:
        by_session.setdefault(change.session, []).append(change)
    numbers = {p.id: p.session.number for p in agenda.plan}
    if by_session:
        out.append(Text(""))
        out.append(Text(f"Timing changes ({len(agenda.changes)})", style="bold"))
        for session, changes in by_session.items():
            parts = []
            for action in ("shortened", "lengthened", "added", "cut", "moved"):
                mine = [c for c in changes if c.action == action]
                if not mine:
                    continue
                minutes = sum(c.minutes for c in mine)
                if action == "moved":
                    parts.append("moved whole to a new day")
                elif action in ("added", "cut"):
                    parts.append(f"{_plural(len(mine), 'optional segment')} {action} ({minutes} min)")
                else:
                    sign = "-" if action == "shortened" else "+"
                    parts.append(f"{_plural(len(mine), 'segment')} {action} ({sign}{minutes} min)")
            out.append(Text(_fit(f"  session {numbers.get(session, session)}: " + "; ".join(parts))))
    adaptations = prepared.plan.adaptations
    if adaptations:
        out.append(Text(""))
        out.append(Text(f"How this course was adapted ({len(adaptations)})", style="bold"))
        by_rule: dict[str, list] = {}  # type: ignore[type-arg]
        for adaptation in adaptations:
            by_rule.setdefault(adaptation.rule, []).append(adaptation)
        for rule, group in by_rule.items():
            if len(group) == 1:
                adaptation = group[0]
                effect = time_effect(adaptation, agenda)
                where = f"session {numbers[adaptation.session]}: " if adaptation.session in numbers else ""
                out.append(Text(_fit(f"  {rule}: {where}{adaptation.change}" + (f" ({effect})" if effect else ""))))
                continue
            sessions = sorted({numbers[a.session] for a in group if a.session in numbers})
            where = f" in session{'s' if len(sessions) > 1 else ''} {', '.join(map(str, sessions))}" if sessions else ""
            out.append(Text(_fit(f"  {rule}: {len(group)} changes{where}")))
    if agenda.warnings:
        out.append(Text(""))
        for warning in agenda.warnings:
            out.append(Text(_fit(f"warning: {warning}", WIDTH * 2), style="yellow"))
    out.append(Text(""))
    out.append(Text("Every segment's clock time and the reasons: trainer plan --detail", style="dim"))
    return out


def agenda_tables(agenda, title: str, *, detail: bool = False) -> list[RenderableType]:  # type: ignore[no-untyped-def]
    """The agenda with every segment's clock time (`trainer plan --detail`), within 80 columns."""
    from .schedule import clock

    out: list[RenderableType] = [Text(title, style="bold")]
    for day in agenda.days:
        heading = f"Day {day.number}" + (f" · {day.date:%A %d %B %Y}" if day.date else "")
        table = Table(title=heading, title_justify="left", title_style="bold", width=WIDTH, box=None, padding=(0, 1))
        table.add_column("time", no_wrap=True, width=11)
        table.add_column("item", ratio=1)
        table.add_column("min", justify="right", no_wrap=True, width=4)
        for item in day.items:
            when = f"{clock(item.start)}-{clock(item.end)}"
            if item.kind != "session":
                table.add_row(Text(when, style="cyan"), Text(_item_name(item), style="cyan"), str(item.minutes))
                continue
            table.add_row(when, Text(_item_name(item), style="bold"), str(item.minutes))
            if detail:
                for segment in item.segments:
                    flag = " (optional)" if segment.optional else ""
                    table.add_row(Text(f"  {clock(segment.start)}", style="dim"), Text(f"  {segment.title}{flag}", style="dim"),
                                  Text(str(segment.minutes), style="dim"))
                    for sub in segment.parts:
                        table.add_row(Text(f"    {clock(sub.start)}", style="dim"), Text(f"    {sub.title}", style="dim"),
                                      Text(str(sub.minutes), style="dim"))
        out.append(table)
    if agenda.changes:
        changes = Table(title="What the scheduler changed", title_justify="left", width=WIDTH, show_lines=False)
        changes.add_column("session", no_wrap=True, width=9)
        changes.add_column("segment", ratio=1)
        changes.add_column("change", ratio=2)
        for change in agenda.changes:
            changes.add_row(change.session, change.segment or "", Text(f"{change.action}: {change.reason}"))
        out.append(changes)
    for warning in agenda.warnings:
        out.append(Text(f"warning: {warning}", style="yellow"))
    return out


def adaptations_table(adaptations, agenda) -> Table:  # type: ignore[no-untyped-def]
    """How the course was adapted: rule, change, reason, and the time it takes in the schedule."""
    from .adapt import time_effect

    table = Table(title="How this course was adapted", title_justify="left", width=WIDTH)
    table.add_column("rule", ratio=1)
    table.add_column("change", ratio=3)
    table.add_column("because", ratio=2)
    table.add_column("time", no_wrap=True, width=8)
    for adaptation in adaptations:
        change = adaptation.change + (f" ({adaptation.session})" if adaptation.session else "")
        table.add_row(Text(adaptation.rule), Text(change), Text(adaptation.reason), time_effect(adaptation, agenda))
    return table
