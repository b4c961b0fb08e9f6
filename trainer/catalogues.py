"""The translators' workflow for the library's content: extract, update, stats, glossary.

`trainer i18n extract` writes one catalogue template (.pot) per content file from the
library (trainer.translate says which fields); `update` brings each language's .po files
in line with the templates as msgmerge does (translations of unchanged texts kept, changed
ones marked fuzzy with the previous English text beside them, new ones empty); `stats`
reports, per language and per catalogue, what is translated, fuzzy and missing, whether a
reviewer marked it reviewed, and where a translation does not use the official term of the
language's glossary (locale/glossary/<language>.yaml). docs/TRANSLATING.md is the guide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from .models.base import Strict, Text
from .translate import CONTENT_DIR, FIELDS, FIXED_WORDS, Message, catalogue_name, item_messages, reviewed_catalogues

GLOSSARY_DIR = Path("locale") / "glossary"
HEADER = """Participant-facing text of the course library, for translation.
The English text is the source: translate in the .po files under
locale/content/<language>/ (docs/TRANSLATING.md)."""


def library_messages(library: Any) -> dict[str, list[Message]]:
    """Every catalogue's messages, from the library's own items (not a course's local/ ones)."""
    root = library.root
    out: dict[str, list[Message]] = {}
    items = [(library.programme, library.programme_located)]
    items += [(entry.item, entry.located) for entry in library.entries.values() if not entry.local]
    for item, located in items:
        if type(item).__name__ not in FIELDS:
            continue
        name = catalogue_name(located.file, root)
        if name is None:
            continue
        messages = item_messages(item, located)
        if messages:
            out[name] = messages
    return dict(sorted(out.items()))


def _template(name: str, messages: list[Message]) -> Any:
    from babel.messages.catalog import Catalog

    catalogue = Catalog(project="trainer course content", header_comment="# " + HEADER.replace("\n", "\n# "),
                        fuzzy=False, charset="utf-8")
    source = _source_file(name)
    for message in messages:
        catalogue.add(message.source, "", locations=[(source, message.line)] if message.line else [(source, 0)],
                      auto_comments=[message.comment] if message.comment else [], context=message.context)
    return catalogue


def _source_file(name: str) -> str:
    return f"{name}.yaml"


def _signature(catalogue: Any) -> list[tuple[Any, ...]]:
    """What a template says, without its dates: whether it needs writing again (comments
    compared as words: a long one comes back from the file wrapped over several lines)."""
    return [
        (m.context, m.id, " ".join(" ".join(m.auto_comments).split()), tuple(m.locations))
        for m in catalogue if m.id
    ]


def _write(path: Path, catalogue: Any, **options: Any) -> None:
    from io import BytesIO

    from babel.messages.pofile import write_po

    # The library's texts are never %-formatted: babel's guess (python-format for any text
    # with a "%", such as "48%") would make gettext's msgfmt -c reject a translation.
    for message in catalogue:
        message.flags.discard("python-format")
    buffer = BytesIO()
    write_po(buffer, catalogue, width=76, sort_output=False, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)


def _read(path: Path, locale: str | None = None) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=False)


@dataclass
class ExtractResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    messages: int = 0


def extract(library: Any, now: datetime | None = None) -> ExtractResult:
    """Write locale/content/<name>.pot for every content file whose texts changed; remove
    the templates of content files that no longer exist."""
    root = library.root
    folder = root / CONTENT_DIR
    result = ExtractResult()
    wanted = library_messages(library)
    for name, messages in wanted.items():
        path = folder / f"{name}.pot"
        template = _template(name, messages)
        result.messages += len(messages)
        if path.is_file() and _signature(_read(path)) == _signature(template):
            result.unchanged.append(name)
            continue
        template.creation_date = now or datetime.now(timezone.utc).replace(microsecond=0)
        template.revision_date = template.creation_date
        _write(path, template, omit_header=False)
        result.written.append(name)
    if folder.is_dir():
        for path in sorted(folder.rglob("*.pot")):
            name = path.relative_to(folder).with_suffix("").as_posix()
            if name not in wanted:
                path.unlink()
                result.removed.append(name)
    return result


def templates(root: Path) -> dict[str, Path]:
    """The catalogue templates under the library's locale/content/, by name."""
    folder = root / CONTENT_DIR
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).with_suffix("").as_posix(): path
        for path in sorted(folder.rglob("*.pot"))
    }


def languages(root: Path) -> list[str]:
    """The languages that have content catalogues (a folder under locale/content/)."""
    folder = root / CONTENT_DIR
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if path.is_dir() and len(path.name) <= 3 and path.name.isalpha())


@dataclass
class UpdateResult:
    language: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    fuzzy: int = 0
    removed: list[str] = field(default_factory=list)


def update(root: Path, language: str) -> UpdateResult:
    """Bring every .po file of a language in line with the templates (msgmerge): unchanged
    texts keep their translation, changed ones keep it marked fuzzy with the previous
    English, new ones come empty; a catalogue whose content file is gone is removed."""
    from babel.messages.catalog import Catalog

    from .i18n import LOCALES

    if language not in LOCALES or language == "en":
        from .errors import TrainerError

        raise TrainerError(f"--language: '{language}' is not a course language; choose one of {', '.join(c for c in LOCALES if c != 'en')}")
    locale = LOCALES[language]
    result = UpdateResult(language)
    folder = root / CONTENT_DIR / language
    names = templates(root)
    for name, template_path in names.items():
        template = _read(template_path)
        path = folder / f"{name}.po"
        if path.is_file():
            catalogue = _read(path, locale)
            before = _signature_with_strings(catalogue)
            catalogue.update(template, no_fuzzy_matching=False, update_header_comment=True)
            if _signature_with_strings(catalogue) == before and not catalogue.obsolete:
                continue
            result.updated.append(name)
        else:
            catalogue = Catalog(locale=locale, project="trainer course content", fuzzy=False, charset="utf-8")
            catalogue.update(template, no_fuzzy_matching=True, update_header_comment=True)
            result.created.append(name)
        catalogue.language_team = f"{language}"
        result.fuzzy += sum(1 for message in catalogue if message.id and message.fuzzy)
        _write(path, catalogue, omit_header=False, ignore_obsolete=True, include_previous=True)
    if folder.is_dir():
        for path in sorted(folder.rglob("*.po")):
            name = path.relative_to(folder).with_suffix("").as_posix()
            if name not in names:
                path.unlink()
                result.removed.append(name)
    status = folder / "status.yaml"
    if not status.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        status.write_text(STATUS_TEMPLATE, encoding="utf-8")
    return result


STATUS_TEMPLATE = """\
# Review status of this language's catalogues. A catalogue not listed under `reviewed` is a
# draft: the documents built from it say "Translation prepared for this course" in the
# course language. A reviewer who has checked a whole catalogue against the English source
# and the glossary adds it here, e.g.
#
#   reviewed:
#     handouts/case-study: {by: "Name, organization", on: 2027-01-15}
#     fixed-words: {by: "Name, organization", on: 2027-01-15}   # trainer/locale/<language>.po
#
# See docs/TRANSLATING.md.
reviewed: {}
"""


def _signature_with_strings(catalogue: Any) -> list[tuple[Any, ...]]:
    return [(*row, m.string, m.fuzzy) for row, m in zip(_signature(catalogue), [m for m in catalogue if m.id], strict=True)]


# ---------------------------------------------------------------------------- stats


@dataclass
class CatalogueStats:
    name: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    reviewed: bool = False
    glossary: list[GlossaryProblem] = field(default_factory=list)

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def stats(root: Path, language: str) -> list[CatalogueStats]:
    """Per catalogue of the library, how much of it is translated into `language`, counted
    against its template; with the fixed words (trainer/locale) as a catalogue of their own."""
    from .i18n import LOCALE_DIR, LOCALES

    locale = LOCALES.get(language, language)
    glossary = read_glossary(root, language)
    reviewed = reviewed_catalogues(root, language)
    out: list[CatalogueStats] = []
    folder = root / CONTENT_DIR / language
    for name, template_path in templates(root).items():
        template = _read(template_path)
        wanted = {(m.context or "", m.id) for m in template if m.id}
        entry = CatalogueStats(name, total=len(wanted), reviewed=name in reviewed)
        path = folder / f"{name}.po"
        if path.is_file():
            catalogue = _read(path, locale)
            for message in catalogue:
                if not message.id or (message.context or "", message.id) not in wanted:
                    continue
                if message.fuzzy:
                    entry.fuzzy += 1
                elif isinstance(message.string, str) and message.string.strip():
                    entry.translated += 1
                    entry.glossary.extend(check_glossary(glossary, message, f"{path.relative_to(root)}"))
        out.append(entry)
    fixed = LOCALE_DIR / f"{language}.po"
    if fixed.is_file():
        from .messages import messages_in_use

        used = set(messages_in_use())
        catalogue = _read(fixed, locale)
        entry = CatalogueStats(FIXED_WORDS, total=len(used), reviewed=FIXED_WORDS in reviewed)
        for message in catalogue:
            if message.id not in used:
                continue
            if message.fuzzy:
                entry.fuzzy += 1
            elif isinstance(message.string, str) and message.string.strip():
                entry.translated += 1
                entry.glossary.extend(check_glossary(glossary, message, f"trainer/locale/{language}.po"))
        out.append(entry)
    return out


# ---------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Term:
    english: str
    official: tuple[str, ...]
    """The accepted forms of the official term (singular, plural, with or without article)."""
    source: str = ""


@dataclass(frozen=True)
class GlossaryProblem:
    where: str
    """The catalogue file and the message's context."""
    term: str
    expected: tuple[str, ...]
    source: str
    translation: str

    def format(self) -> str:
        forms = " / ".join(f"“{form}”" for form in self.expected)
        return f"{self.where}: “{self.term}” should be {forms} in “{_short(self.translation)}”"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise(text: str) -> str:
    """Text compared for the glossary: lower case, NFC, one kind of apostrophe, hyphens as
    spaces, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("’", "'").replace("ʼ", "'").replace("‐", "-").replace("‑", "-")
    text = text.replace("-", " ").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


class GlossaryEntry(Strict):
    """One term of a glossary."""

    en: Text
    """The English term, as the library writes it ("duty bearers")."""
    official: list[Text] = Field(min_length=1)
    """The forms of the official term a translation may use (singular, plural, inflected)."""
    source: Text
    """The official document the term is taken from, with its symbol."""


class Glossary(Strict):
    """locale/glossary/<language>.yaml: the official terms translations must use."""

    language: Literal["fr", "es", "ar", "ru", "zh"]
    terms: list[GlossaryEntry] = []


def read_glossary(root: Path, language: str) -> list[Term]:
    """The language's glossary (locale/glossary/<language>.yaml), longest English terms first."""
    from .translate import read_checked

    path = root / GLOSSARY_DIR / f"{language}.yaml"
    if not path.is_file():
        return []
    glossary = read_checked(path, Glossary, "glossary")
    terms = [Term(entry.en, tuple(entry.official), entry.source) for entry in glossary.terms]
    return sorted(terms, key=lambda term: -len(term.english))


def _pattern(english: str) -> re.Pattern[str]:
    # the term, as a phrase of whole words; a plural "s" may follow
    return re.compile(r"(?<![\w])" + re.escape(normalise(english)) + r"s?(?![\w])")


ACCEPT = re.compile(r"glossary-ok:\s*(.+)", re.I)
"""A translator's comment that accepts a translation without the official term, with the
reason, e.g. `# glossary-ok: human rights (the sentence says "these rights")`."""


def check_glossary(terms: list[Term], message: Any, where: str) -> list[GlossaryProblem]:
    """The glossary terms an English text uses whose official translation its translation
    lacks. A term inside a longer term that matched (rights holders inside ...) is not
    checked again."""
    source = normalise(message.id if isinstance(message.id, str) else message.id[0])
    translation = message.string if isinstance(message.string, str) else ""
    target = normalise(translation)
    accepted = " ".join(match.group(1).lower() for comment in message.user_comments for match in [ACCEPT.search(comment)] if match)
    problems = []
    for term in terms:
        pattern = _pattern(term.english)
        if not pattern.search(source):
            continue
        source = pattern.sub(" ", source)  # longer terms first: do not count their words again
        if normalise(term.english) in normalise(accepted) or normalise(term.english) in target:
            continue  # accepted by the translator, or kept in English (the title of a document)
        if not any(normalise(form) in target for form in term.official):
            context = f" [{message.context}]" if message.context else ""
            problems.append(GlossaryProblem(f"{where}{context}", term.english, term.official, term.source, translation))
    return problems
