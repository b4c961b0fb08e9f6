"""The fixed words the documents use, found in the project's templates and code, and the
catalogues that translate them (`python -m trainer.messages` adds missing entries).

A message is any string literal passed to `_()` in a template or in the code, plus the
condition labels of the session plans. Every catalogue under trainer/locale must translate
every message: tests/test_messages_catalogues.py checks it, so a new fixed word cannot
reach a French or Arabic document untranslated.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
GETTEXT = re.compile(r"""gettext\(\s*'((?:[^'\\]|\\.)*)'""")


def _unescape(text: str) -> str:
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in text else text


def messages_in_use(templates: Path | None = None) -> list[str]:
    """Every message the templates and the code pass to the translation function, sorted."""
    from .library import templates_root
    from .render.run_sheets import LEADS
    from .render.session_plans import CONDITIONS

    found: set[str] = set(CONDITIONS.values()) | LEADS
    files = [*sorted((templates or templates_root()).glob("*.html")), *sorted(PACKAGE.rglob("*.py"))]
    for file in files:
        text = file.read_text(encoding="utf-8")
        for match in CALL.finditer(text):
            found.add(_unescape(match.group(1) if match.group(1) is not None else match.group(2)))
        for match in GETTEXT.finditer(text):
            found.add(_unescape(match.group(1)))
    found.discard("")
    return sorted(found)


def missing(language: str) -> list[str]:
    """Messages the language's catalogue does not translate."""
    from .i18n import _catalogue

    _catalogue.cache_clear()
    known = _catalogue(language)
    return [message for message in messages_in_use() if not known.get(message)]


def update(language: str) -> int:
    """Add every missing message to the language's catalogue with an empty translation."""
    from babel.messages.pofile import read_po, write_po

    from .i18n import LOCALES

    path = PACKAGE / "locale" / f"{language}.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[language])
    added = 0
    for message in messages_in_use():
        if message not in catalogue:
            catalogue.add(message, "")
            added += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False, sort_output=False)
    return added


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from .i18n import LOCALES

    for code in LOCALES:
        if code != "en":
            print(f"{code}: {update(code)} added, {len(missing(code))} untranslated")
    sys.exit(0)
