"""The base every content model shares: strict keys, documented fields."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Every item in the library and in a course's local/ folder is found by its id.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-empty piece of text; Markdown where the field says so."""


class Strict(BaseModel):
    """A model whose unknown keys are errors and whose field docstrings are its documentation."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=False)
