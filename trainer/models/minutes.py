"""Durations as the training guide writes them: "10", "15-30", "<5", "1-1.5 hours".

The scheduler needs both ends of a range to stretch or compress a course, so a
duration is kept as a low and a high number of minutes, with the text it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

_NUMBER = r"\d{1,5}(?:\.\d{1,3})?"  # a day has 1,440 minutes: five digits are plenty
_UNIT = r"(?:\s*(?P<unit{n}>minutes?|mins?|m|hours?|hrs?|h))?"
_RANGE = re.compile(
    rf"^(?P<low>{_NUMBER}){_UNIT.format(n=1)}\s*(?:-|–|—|to)\s*(?P<high>{_NUMBER}){_UNIT.format(n=2)}$"
)
_SINGLE = re.compile(rf"^(?P<value>{_NUMBER}){_UNIT.format(n=1)}$")
_UPPER = re.compile(rf"^(?:<|up to\s+)(?P<value>{_NUMBER}){_UNIT.format(n=1)}$")
_HOURS_MINUTES = re.compile(r"^(?P<h>\d{1,3})\s*(?:hours?|h)\s*(?P<m>\d{1,5})\s*(?:minutes?|mins?|m)$")
MAX_DURATION_CHARACTERS = 40
"""A duration is written in at most 40 characters ("1 hour 30 minutes to 2 hours" fits)."""


def _shown(value: Any) -> str:
    """A value as a message quotes it: cut to 40 characters."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= 42 else text[:39] + "...'"


EXPECTED = "a number of minutes such as 10, a range such as '15-30', an upper bound such as '<5', or hours such as '1-1.5 hours'"


def _to_minutes(number: str, unit: str | None) -> int:
    value = float(number)
    if unit and unit.startswith("h"):
        value *= 60
    if value != int(value):
        raise ValueError(f"{number} {unit or 'minutes'} is not a whole number of minutes")
    return int(value)


@dataclass(frozen=True, order=True)
class Minutes:
    """A duration in whole minutes, from `low` to `high` (equal when fixed).

    `upper_bound` marks the guide's "<5": at most `high` minutes, and at least one.
    """

    low: int
    high: int
    upper_bound: bool = False

    @classmethod
    def parse(cls, value: Any) -> Minutes:
        """Read a duration from YAML: an int, or a string in one of the guide's forms."""
        if isinstance(value, Minutes):
            return value
        if isinstance(value, bool) or value is None:
            raise ValueError(f"expected {EXPECTED}")
        if isinstance(value, int):
            if abs(value) > 10**6:
                raise ValueError(f"{_shown(value)} is longer than a day")
            return cls.fixed(value)
        if isinstance(value, float):
            if value != int(value):
                raise ValueError(f"expected whole minutes, got {value}")
            if not abs(value) <= 10**6:
                raise ValueError(f"{_shown(value)} is longer than a day")
            return cls.fixed(int(value))
        if not isinstance(value, str):
            raise ValueError(f"expected {EXPECTED}")
        if len(value) > MAX_DURATION_CHARACTERS:
            raise ValueError(f"expected {EXPECTED}, got {_shown(value)} ({len(value):,} characters)")
        text = value.strip().lower()
        if match := _UPPER.match(text):
            high = _to_minutes(match["value"], match["unit1"])
            return cls._checked(1, high, upper_bound=True, text=value)
        if match := _RANGE.match(text):
            # "1-1.5 hours": a unit written only after the second number applies to both.
            unit_high = match["unit2"]
            unit_low = match["unit1"] or unit_high
            low = _to_minutes(match["low"], unit_low)
            high = _to_minutes(match["high"], unit_high or unit_low)
            return cls._checked(low, high, text=value)
        if match := _HOURS_MINUTES.match(text):
            return cls._checked(int(match["h"]) * 60 + int(match["m"]), int(match["h"]) * 60 + int(match["m"]), text=value)
        if match := _SINGLE.match(text):
            minutes = _to_minutes(match["value"], match["unit1"])
            return cls._checked(minutes, minutes, text=value)
        raise ValueError(f"expected {EXPECTED}, got {_shown(value)}")

    @classmethod
    def fixed(cls, minutes: int) -> Minutes:
        return cls._checked(minutes, minutes, text=str(minutes))

    @classmethod
    def _checked(cls, low: int, high: int, *, upper_bound: bool = False, text: str) -> Minutes:
        if low <= 0 or high <= 0:
            raise ValueError(f"a duration must be more than 0 minutes, got {text!r}")
        if low > high:
            raise ValueError(f"the range {text!r} runs backwards: {low} is more than {high}")
        if high > 24 * 60:
            raise ValueError(f"{text!r} is longer than a day")
        return cls(low, high, upper_bound)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __add__(self, other: Minutes) -> Minutes:
        return Minutes(self.low + other.low, self.high + other.high)

    def __str__(self) -> str:
        if self.upper_bound:
            return f"<{self.high}"
        if self.is_range:
            return f"{self.low}-{self.high}"
        return str(self.low)

    def describe(self) -> str:
        """Human wording: "15-30 min", "<5 min", "1 h 30 min"."""
        if self.upper_bound:
            return f"<{self.high} min"
        if self.is_range:
            if self.high < 60:
                return f"{self.low}-{self.high} min"
            return f"{format_minutes(self.low)} to {format_minutes(self.high)}"
        return format_minutes(self.low)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        def validate(value: Any) -> Minutes:
            try:
                return cls.parse(value)
            except ValueError as error:
                raise PydanticCustomError("minutes", str(error)) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.union_schema([core_schema.int_schema(), core_schema.str_schema()]),
        )


def format_minutes(minutes: int) -> str:
    """90 -> "1 h 30 min", 45 -> "45 min", 120 -> "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest:02d} min"
