"""The documents' fixed words and the way times and dates are written, per course language.

Every fixed word on a document goes through `Translator.gettext` (`_` in templates), read
from the gettext catalogue `trainer/locale/<language>.po`; English is the source language.
Times and dates are formatted by Babel in the language's conventions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date, time
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_time

LOCALE_DIR = Path(__file__).parent / "locale"
"""The gettext catalogues, one `<language>.po` per course language."""

LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES", "ar": "ar", "ru": "ru_RU", "zh": "zh_CN"}
"""The course languages (the six official languages of the United Nations) and their Babel locales."""
RTL = {"ar"}


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str]:
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / f"{language}.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[language])
    return {message.id: message.string for message in catalogue if message.id and message.string}


@dataclass
class Translator:
    """Fixed words and clock times in one course language."""

    language: str = "en"
    time_style: str = "24h"
    messages: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.messages = _catalogue(self.language)

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL else "ltr"

    @property
    def comma(self) -> str:
        """The comma that joins the parts of a label ("Module 1, Session 2"): Arabic's "،"."""
        return {"ar": "، ", "zh": "，"}.get(self.language, ", ")

    @property
    def colon(self) -> str:
        """The colon before a value ("Label: value"): French puts a no-break space before it."""
        return {"fr": "\u00a0: ", "zh": "："}.get(self.language, ": ")

    @property
    def semicolon(self) -> str:
        return {"ar": "؛ ", "zh": "；"}.get(self.language, "; ")

    def gettext(self, message: str, **values: object) -> str:
        text = self.messages.get(message, message)
        return text.format(**values) if values else text

    def time(self, minutes: int) -> str:
        """A time of day, e.g. "13:15", or in the UN style "1.15 p.m." (English) / "13 h 15" (French)."""
        moment = time(minutes // 60 % 24, minutes % 60)
        if self.time_style == "un":
            return _un_time(moment, self.language, self.locale)
        return format_time(moment, "HH:mm", locale=self.locale)

    def span(self, start: int, end: int) -> str:
        """A time range as the agenda shows it: "09:00–10:30", or "9–10.30 a.m." in the UN style."""
        if self.time_style == "un" and self.language == "en":
            first, second = _un_time(time(start // 60, start % 60), "en", ""), _un_time(time(end // 60, end % 60), "en", "")
            for suffix in (" a.m.", " p.m."):
                if first.endswith(suffix) and second.endswith(suffix):
                    first = first[: -len(suffix)]
            return f"{first}–{second}"
        return f"{self.time(start)}–{self.time(end)}"

    def date(self, day: Date) -> str:
        return format_date(day, "full", locale=self.locale)


def _un_time(moment: time, language: str, locale: str) -> str:
    if language == "en":
        if moment.hour == 12 and moment.minute == 0:
            return "noon"
        hour = moment.hour % 12 or 12
        suffix = "a.m." if moment.hour < 12 else "p.m."
        return f"{hour}.{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"
    if language == "fr":
        return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} heures"
    if language == "es":
        return f"{moment.hour}.{moment.minute:02d} horas"
    return format_time(moment, "H:mm", locale=locale)
