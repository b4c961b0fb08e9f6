"""The base every content model shares: strict keys, documented fields, bounded sizes.

A course folder is untrusted (docs/SECURITY.md), so what a model accepts is bounded: every
string, every list, every number and every date has a limit far above real content and far
below what would make a document take minutes or gigabytes to write. The limits are here, as
named constants, and each refusal says the limit.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationInfo, field_validator

MAX_TEXT_CHARACTERS = 100_000
"""The longest piece of text in any field (the library's longest handout body has about
22,000 characters)."""
MAX_LINE_CHARACTERS = 1_000
"""The longest title, name or label (the library's longest title has about 200 characters):
a title is measured and laid out many times, on slides, agendas and certificates."""
MAX_LIST_ITEMS = 1_000
"""The longest list in any field (the library's longest has 26 items)."""
MAX_DAYS = 30
"""A course has at most 30 days (the guide's course has three)."""
MAX_PARTICIPANTS = 500
"""At most 500 participants (a certificate and a sign-in line each)."""
MAX_SESSION_NUMBER = 999
"""Session and module numbers go from 1 to 999 (they name files: `session-12.pptx`)."""
MAX_QUANTITY = 1_000
"""At most 1,000 of a material or handout per unit (participant, group, table ...)."""
MAX_SCALE_POINTS = 11
"""A rating scale has at most 11 points (0 to 10), each a box on the printed form."""
MAX_TEXT_LINES = 40
"""At most 40 lines of writing space for a text question (a page)."""
MAX_ADAPTATION_MINUTES = 600
"""An adaptation adds or saves at most 600 minutes (ten hours)."""
MIN_YEAR = 1990
MAX_YEAR = 2100
"""A course's dates (start_date, a day's date, when facts were checked) lie between 1990 and
2100: documents carry the dates in their metadata, and zip archives cannot hold a date
before 1980 or after 2107."""

# Every item in the library and in a course's local/ folder is found by its id.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-empty piece of text; Markdown where the field says so."""


class _OneLine:
    """Marks a field as one line (a title, a name): at most MAX_LINE_CHARACTERS."""

    max_length = MAX_LINE_CHARACTERS

    def __repr__(self) -> str:
        return "OneLine"


ONE_LINE = _OneLine()
Line = Annotated[str, ONE_LINE]
"""A title, a name or a label: one line of at most MAX_LINE_CHARACTERS characters."""
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), ONE_LINE]
"""A non-empty title of at most MAX_LINE_CHARACTERS characters."""


def _in_years(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"{value.isoformat()}: a course's dates must lie between {MIN_YEAR} and {MAX_YEAR}")
    return value


CourseDate = Annotated[date, AfterValidator(_in_years)]
"""A date of the course, written YYYY-MM-DD, between MIN_YEAR and MAX_YEAR."""


# Characters XML 1.0 cannot hold (C0 controls other than tab and newlines, U+FFFE, U+FFFF,
# lone surrogates): python-docx and python-pptx raise on them, so they never enter a model.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value: Any) -> Any:
    """The value with every XML-invalid character removed from its strings."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    return value


def _limits_of(annotation: Any, metadata: list[Any]) -> tuple[int, int, int]:
    """(characters of a string, items of a list, characters of a list's strings) a field
    allows: its own max_length where it has one, else the general limits."""
    text = items = item_text = None
    for meta in metadata:
        if isinstance(meta, (StringConstraints, _OneLine)) and meta.max_length is not None:
            text = meta.max_length
        elif isinstance(meta, MaxLen):
            items = meta.max_length
    for arg in typing.get_args(annotation):  # list[Line], Line | None ...
        if typing.get_origin(arg) is Annotated:
            inner = typing.get_args(arg)
            found = [getattr(meta, "max_length", None) for meta in inner[1:] if isinstance(meta, (StringConstraints, _OneLine))]
            if any(found):
                item_text = min(length for length in found if length)
                if inner[0] is str:
                    text = item_text
    return text or MAX_TEXT_CHARACTERS, items or MAX_LIST_ITEMS, item_text or MAX_TEXT_CHARACTERS


@lru_cache(maxsize=None)
def _field_limits(model: type[BaseModel], name: str) -> tuple[int, int, int]:
    field = model.model_fields.get(name)
    if field is None:
        return MAX_TEXT_CHARACTERS, MAX_LIST_ITEMS, MAX_TEXT_CHARACTERS
    return _limits_of(field.annotation, list(field.metadata))


def _check_size(value: Any, text: int, items: int, item_text: int) -> None:
    """Refuse a string or list over its limit, before anything else reads it (a model's own
    fields check their strings; mappings are checked by the model they become)."""
    if isinstance(value, str):
        if len(value) > text:
            raise ValueError(f"{len(value):,} characters; at most {text:,} characters are allowed")
    elif isinstance(value, list):
        if len(value) > items:
            raise ValueError(f"{len(value):,} items; at most {items:,} are allowed")
        for index, item in enumerate(value):
            if isinstance(item, str) and len(item) > item_text:
                raise ValueError(f"item {index + 1}: {len(item):,} characters; at most {item_text:,} characters are allowed")
            if isinstance(item, list):
                _check_size(item, MAX_TEXT_CHARACTERS, MAX_LIST_ITEMS, MAX_TEXT_CHARACTERS)


class Strict(BaseModel):
    """A model whose unknown keys are errors and whose field docstrings are its documentation."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _xml_safe_and_bounded(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None:
            _check_size(value, *_field_limits(cls, info.field_name))
        return xml_safe(value)
