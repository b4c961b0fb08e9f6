"""The base every content model shares: strict keys, documented fields."""

from __future__ import annotations

import re
from typing import Annotated

from typing import Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

# Every item in the library and in a course's local/ folder is found by its id.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-empty piece of text; Markdown where the field says so."""


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


class Strict(BaseModel):
    """A model whose unknown keys are errors and whose field docstrings are its documentation."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _xml_safe(cls, value: Any) -> Any:
        return xml_safe(value)
