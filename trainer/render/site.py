"""The participants' companion site: static pages that work from a USB stick or a shared
folder, with no network and no server.

`build/site/` holds the agenda (the current day first, chosen in the browser), each
participant handout as a page with a link to its PDF (built by the `handouts` kind into
`build/handouts/`), the key messages of each session, the course's links (each marked as
needing internet), the forms (PDF, and the online version where course.yaml's `form_links`
gives one), and a search that works offline.

Everything is plain files with relative links: no external font, script, stylesheet or
tracker, so the pages open from `file://`. The search index is a classic script
(`search-index.js`) because browsers refuse `fetch()` and JavaScript modules on `file://`
pages; that is also why Pagefind cannot serve here: tried (1.5.2), its search module fails
to load from file:// in Chromium, and its maintainers say it needs a web server.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from ..errors import InputError
from . import Job, Output
from .agenda import _facts, _rows
from .common import BuildContext, RenderEnv, check_url, render_html

KIND = "site"
PAGES = ("site-index.html", "site-handouts.html", "site-handout.html", "site-messages.html", "site-links.html",
         "site-forms.html", "site-search.html")
STATIC = ("site.css", "site.js")
TEMPLATES = (*PAGES, *STATIC)

FORM_ORDER = ("pre-course", "self-inventory", "learning-path", "knowledge-check", "end-of-day", "end-of-course", "follow-up")
"""Forms in the order a participant meets them."""

_BLOCK = re.compile(r"<(p|li|h[1-6]|td|th|blockquote|dd|dt)>")
_IMAGE = re.compile(r'<img src="(file://[^"#]*)(?:#sha256=([0-9a-f]{64}))?"')
_TAG = re.compile(r"<[^>]+>")


def _web(text: Markup, needs_internet: str) -> Markup:
    """Content HTML for the site: each paragraph finds its own direction (course text may be
    in another language than the site's fixed words), and every link to the internet opens
    in a new tab and says that it needs internet."""
    out = _BLOCK.sub(lambda m: f'<{m.group(1)} dir="auto">', str(text))
    # an image on the web would be fetched: the site links to it instead
    out = re.sub(
        r'<img src="(https?://[^"]*)" alt="([^"]*)"[^>]*>',
        lambda m: f'<a href="{m.group(1)}">{m.group(2) or m.group(1)}</a>',
        out,
    )
    out = re.sub(
        r'<a href="(https?://[^"]*)"([^>]*)>(.*?)</a>',
        lambda m: (f'<a href="{m.group(1)}"{m.group(2)} class="external" rel="noopener noreferrer" target="_blank">'
                   f'{m.group(3)}</a> <span class="net">({html.escape(needs_internet)})</span>'),
        out,
        flags=re.S,
    )
    return Markup(out)


def _images(body: str) -> tuple[str, list[dict[str, str]]]:
    """Images a handout shows (file URLs into the course or library, with their sha256) become
    files of the site (`images/<sha256>.<ext>`); returns the body and what to copy."""
    found: list[dict[str, str]] = []

    def move(match: re.Match[str]) -> str:
        url, digest = match.group(1), match.group(2) or ""
        suffix = Path(unquote(urlparse(url).path)).suffix.lower()
        name = f"images/{(digest or hashlib.sha256(url.encode()).hexdigest())[:16]}{suffix}"
        found.append({"url": url, "sha256": digest, "file": name})
        return f'<img src="{name}"'

    return _IMAGE.sub(move, body), found


def _plain(markup: Any) -> str:
    """The words of some HTML, for the search index."""
    return " ".join(html.unescape(_TAG.sub(" ", str(markup))).split())


def _handouts(context: BuildContext, needs_internet: str) -> list[dict[str, Any]]:
    from .handouts import handout_places

    _ = context.translator.gettext
    library = context.course_input.library
    course = context.course_input.course
    suffix = "-large-print" if context.large_print else ""
    out = []
    for place in handout_places(context):
        handout = library.handouts[place.id]
        label = ", ".join(_("Session {number}", number=n) for n in place.sessions)
        label = _("Handout {number}", number=place.number) + " · " + label
        if handout.generated == "agenda":
            out.append({"id": handout.id, "title": handout.title, "sessions": label, "page": "index.html",
                        "pdf": f"../handouts/{handout.id}{suffix}.pdf", "body": Markup(""), "images": [], "trainers": []})
            continue
        body, images = _images(str(_web(context.html(handout.body), needs_internet)))
        trainers = []
        if handout.generated == "trainer-bios":
            trainers = [{"name": t.name, "role": t.role, "organisation": t.organisation,
                         "bio": _web(context.html(t.bio), needs_internet)} for t in course.trainers]
        out.append({
            "id": handout.id,
            "title": handout.title,
            "sessions": label,
            "page": f"handout-{handout.id}.html",
            "pdf": f"../handouts/{handout.id}{suffix}.pdf",
            "body": Markup(body),
            "images": images,
            "trainers": trainers,
        })
    return out


def _agenda_pdf(context: BuildContext) -> str:
    """The agenda as participants print it: the agenda handout's own PDF when the course hands
    it out, else the agenda document."""
    library = context.course_input.library
    suffix = "-large-print" if context.large_print else ""
    for handout in library.handouts.values():
        if handout.generated == "agenda":
            return f"../handouts/{handout.id}{suffix}.pdf"
    return "../agenda/agenda.pdf"


def _sessions(context: BuildContext) -> list[dict[str, Any]]:
    _ = context.translator.gettext
    out = []
    for planned in context.plan:
        session = planned.session
        links = [
            {"title": r.title, "url": r.url, "kind": r.kind, "by": r.by or "", "published": r.published or "",
             "language": r.language or ""}
            for r in session.additional_resources if r.url and re.match(r"^https?://", r.url)
        ]
        out.append({
            "id": session.id,
            "label": _("Session {number}", number=session.number),
            "title": session.title,
            "messages": [context.inline(message) for message in session.key_messages],
            "links": links,
        })
    return out


def _forms(context: BuildContext) -> list[dict[str, Any]]:
    from .forms import form_instances

    links = context.course_input.course.form_links
    known: set[str] = set()
    out = []
    for stem, title, form, _day in form_instances(context):
        known |= {stem, form.id}
        out.append({
            "stem": stem,
            "title": title,
            "order": FORM_ORDER.index(form.kind) if form.kind in FORM_ORDER else len(FORM_ORDER),
            "pdf": f"../forms/{stem}.pdf",
            "online": links.get(stem) or links.get(form.id) or "",
        })
    unknown = [key for key in links if key not in known]
    if unknown:
        located = context.course_input.course_located
        message = (f"form_links: no form '{unknown[0]}' in this course; the forms are: "
                   f"{', '.join(sorted(known))}")
        if located is not None:
            raise InputError([located.problem(("form_links", unknown[0]), message, key=True)])
        raise InputError([])  # pragma: no cover - the sample course has no form links
    out.sort(key=lambda form: (form["order"], form["stem"]))
    return out


def view(context: BuildContext) -> dict[str, Any]:
    """Everything the site shows, and the search index built from it."""
    _ = context.translator.gettext
    needs_internet = _("needs internet")
    course = context.course_input.course
    days = []
    for day in context.agenda.days:
        heading = _("Day {number}", number=day.number)
        if day.date:
            heading += f" · {context.translator.date(day.date)}"
        days.append({
            "number": day.number,
            "date": day.date.isoformat() if day.date else "",
            "heading": heading,
            "rows": _rows(context, day.items),
        })
    handouts = _handouts(context, needs_internet)
    sessions = _sessions(context)
    forms = _forms(context)
    index: list[dict[str, str]] = []
    for day in days:
        words = " ".join(f"{row['time']} {row['lead']} {row['title']}" for row in day["rows"])
        index.append({"url": f"index.html#day-{day['number']}", "title": day["heading"], "text": words})
    for handout in handouts:
        if handout["page"] != "index.html":
            text = _plain(handout["body"]) + " " + " ".join(
                f"{t['name']} {t['organisation']} {_plain(t['bio'])}" for t in handout["trainers"])
            index.append({"url": handout["page"], "title": handout["title"], "text": text})
    for session in sessions:
        if session["messages"]:
            index.append({"url": f"messages.html#{session['id']}", "title": session["label"] + context.translator.colon + session["title"],
                          "text": " ".join(_plain(m) for m in session["messages"])})
        for link in session["links"]:
            index.append({"url": f"links.html#{session['id']}", "title": link["title"],
                          "text": f"{link['title']} {link['by']} {link['url']}"})
    for form in forms:
        index.append({"url": f"forms.html#{form['stem']}", "title": form["title"], "text": form["title"]})
    return {
        "title": context.title,
        "subtitle": course.subtitle,
        "facts": _facts(context),
        "agenda_pdf": _agenda_pdf(context),
        "days": days,
        "handouts": handouts,
        "sessions": sessions,
        "forms": forms,
        "trainers": [{"name": t.name, "organisation": t.organisation} for t in course.trainers],
        "index": index,
    }


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "site", view(context), weight=1)]


# ---------------------------------------------------------------------------- the writer


def _static(env: RenderEnv, name: str) -> bytes:
    return (env.templates / name).read_bytes()


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = job.view
    common = {"site_title": values["title"], "subtitle": values["subtitle"]}

    def page(template: str, path: str, current: str, **more: Any) -> Output:
        text = render_html(env, template, directions=False, current=current, **common, **more)
        return Output(f"site/{path}", text.encode("utf-8"))

    outputs = [
        page("site-index.html", "index.html", "agenda", facts=values["facts"], days=values["days"],
             agenda_pdf=values["agenda_pdf"],
             trainers=values["trainers"]),
        page("site-handouts.html", "handouts.html", "handouts", handouts=values["handouts"]),
        page("site-messages.html", "messages.html", "messages", sessions=values["sessions"]),
        page("site-links.html", "links.html", "links", sessions=values["sessions"]),
        page("site-forms.html", "forms.html", "forms", forms=values["forms"]),
        page("site-search.html", "search.html", "search"),
    ]
    copied: set[str] = set()
    for handout in values["handouts"]:
        if handout["page"] == "index.html":
            continue
        outputs.append(page("site-handout.html", handout["page"], "handouts", handout=handout))
        for image in handout["images"]:
            if image["file"] in copied:
                continue
            try:
                path = Path(unquote(urlparse(check_url(env, image["url"])).path))
            except ValueError:
                continue  # refused (outside the course, too large, not an image): reported by the build
            outputs.append(Output(f"site/{image['file']}", path.read_bytes()))
            copied.add(image["file"])
    index = json.dumps(values["index"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # a classic script, not JSON: browsers do not fetch() files from file:// pages
    index = index.replace("</", "<\\/")
    outputs.append(Output("site/search-index.js", f"window.SITE_INDEX = {index};\n".encode()))
    outputs.extend(Output(f"site/{name}", _static(env, name)) for name in STATIC)
    return outputs
