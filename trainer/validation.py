"""Turning pydantic's validation errors into problems that name the file, line and field."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yamlfile import Located, Path_


def suggest(word: str, candidates: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a candidate is close to `word`, else ''."""
    match = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def describe_path(path: Path_, label: str) -> str:
    """('plan', 2, 'minutes') -> 'plan[3].minutes' (lists counted from 1, as people count)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or label


def validate(model: type[BaseModel], located: Located, label: str) -> tuple[Any, list[Problem]]:
    """Validate a file's data against `model`; return the instance or the problems found."""
    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [located.problem((), f"expected a mapping of fields ({label}), got {_kind(data)}")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, [_problem(model, located, label, detail) for detail in error.errors(include_url=False)]


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Keep the components of pydantic's location that exist in the data (it adds validator names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
    return tuple(path)


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            continue  # a validator's name in the location
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    for arg in typing.get_args(annotation) if origin in (list, tuple, dict, typing.Union, types.UnionType) else ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _problem(model: type[BaseModel], located: Located, label: str, detail: dict[str, Any]) -> Problem:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        path = _data_path(located.data, loc)
        parent = path[:-1] if path and path[-1] == loc[-1] else path
        owner = model_at(model, loc[:-1])
        known = list(owner.model_fields) if owner else []
        return located.problem(
            (*parent, loc[-1]),
            f"unknown field '{loc[-1]}' in {describe_path(parent, label)}{suggest(loc[-1], known)}",
            key=True,
        )
    path = _data_path(located.data, loc)
    if kind == "missing":
        return located.problem(path, f"missing field '{loc[-1]}' in {describe_path(path, label)}")
    where = describe_path(path, label)
    return located.problem(path, f"{where}: {_explain(kind, detail, value)}", key=False)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def impossible_date(value: Any) -> str | None:
    """Why a value written YYYY-MM-DD is not a date ("April has 30 days"), or None."""
    import calendar

    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"'{value}' is not a date: there is no month {month} (months go from 01 to 12)"
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days:
        leap = " (not a leap year)" if month == 2 and days == 28 and day == 29 else ""
        return f"'{value}' is not a date: {_MONTHS[month - 1]} {year} has {days} days{leap}"
    return None


def _explain(kind: str, detail: dict[str, Any], value: Any) -> str:
    got = f", got {_kind(value)}"
    ctx = detail.get("ctx") or {}
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        return f"expected one of {expected}{got}{suggest(value, choices) if isinstance(value, str) else ''}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number{got}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number{got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false{got}"
    if kind in ("string_type",):
        return f"expected text{got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list{got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields{got}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return impossible_date(value) or f"expected a date written YYYY-MM-DD{got}"
    if kind == "string_pattern_mismatch":
        return f"expected an id of lower-case letters, digits and hyphens (such as 'people-bingo'){got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}{got}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}{got}"
    if kind in ("greater_than", "less_than"):
        return detail["msg"].lower().replace("input should be", "must be") + got
    if kind in ("too_long", "string_too_long"):
        return f"at most {ctx.get('max_length')} {'characters' if kind == 'string_too_long' else 'items'} are allowed"
    message = str(detail.get("msg", kind))
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    return message
