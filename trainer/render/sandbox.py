"""A course's own template (the certificate), rendered in Jinja's sandbox.

A course folder is untrusted (docs/SECURITY.md): its template may not reach Python objects
(the sandbox refuses `__class__`, `__globals__` ...), may not change lists or mappings (the
immutable sandbox), may not include files (there is no loader), and may not leave a value
blank silently (StrictUndefined). What it computes is bounded *before* it is computed: every
operator that can make a large value (`*`, `**`, `%`, `+`, `~`), every call and every filter
is checked against the size of what it would make, so `'a' * 10**9` is refused without
building a gigabyte; `range` gives at most MAX_TEMPLATE_RANGE numbers; the output is counted
as it is produced (a loop stops at the limit, not after it); and a time limit stops what is
left (a loop that prints nothing).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import TrainerError

MAX_CERTIFICATE_TEMPLATE_BYTES = 200_000
"""A course's certificate template may be at most 200 KB."""
MAX_CERTIFICATE_CHARACTERS = 20_000
"""What the template prints for one participant: at most 20,000 characters (a certificate is
one page; the built-in one prints under 2,000)."""
MAX_CERTIFICATES_CHARACTERS = 400_000
"""What the template prints for all participants together: at most 400,000 characters (500
certificates of 800; laying out more takes WeasyPrint more than ten seconds)."""
MAX_TEMPLATE_VALUE_CHARACTERS = 100_000
"""The longest text or list a template may build with an operator, call or filter."""
MAX_TEMPLATE_NUMBER = 100_000
"""The largest number a template may pass to a call or filter (a width, a count)."""
MAX_TEMPLATE_INTEGER_BITS = 4_096
"""The largest integer a template may compute, in bits (about 1,200 digits)."""
MAX_TEMPLATE_RANGE = 10_000
"""`range()` in a template gives at most this many numbers."""
MAX_TEMPLATE_HTML_DEPTH = 100
"""What the template prints may nest HTML elements at most 100 deep (WeasyPrint recurses
once per level and fails past several hundred; a certificate needs fewer than ten)."""
MAX_TEMPLATE_SECONDS = 5
"""The template's rendering for every participant stops after 5 seconds."""


class TemplateProblem(TrainerError):
    """A course's template that cannot be used, with the file and line."""


@contextmanager
def _time_limit(seconds: int, where: str) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TemplateProblem(f"{where}: the template did not finish within {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _size(value: Any) -> int:
    """How long a value is as text or as a sequence (numbers by their digits)."""
    if isinstance(value, (str, list, tuple, dict, set, frozenset, range)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() * 3 // 10 + 1
    return 0


def _refuse(what: str) -> None:
    from jinja2.sandbox import SecurityError

    raise SecurityError(what)


def _check_value(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_TEMPLATE_INTEGER_BITS:
        _refuse(f"computes a number of {value.bit_length():,} bits; the limit is {MAX_TEMPLATE_INTEGER_BITS:,}")
    elif _size(value) > MAX_TEMPLATE_VALUE_CHARACTERS:
        _refuse(f"builds a text or list of {_size(value):,} items; the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")
    return value


def _check_numbers(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_NUMBER:
            _refuse(f"passes the number {value:.6g} to a call or filter; the limit is {MAX_TEMPLATE_NUMBER:,}")


_WIDTHS = re.compile(r"\d+")


def _check_format(text: Any) -> None:
    """A %-format or str.format string may not ask for widths or precisions over the limit."""
    if isinstance(text, str) and ("%" in text or "{" in text):
        for match in _WIDTHS.finditer(text):
            if len(match.group()) > 6 or int(match.group()) > MAX_TEMPLATE_NUMBER:
                _refuse(f"formats with a width of {match.group()[:12]}; the limit is {MAX_TEMPLATE_NUMBER:,}")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before it runs, an operator whose result would be over the limits."""
    number = (int, float)
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(count, int) and not isinstance(count, bool) and _size(sequence) and not isinstance(sequence, number):
                if _size(sequence) * max(count, 0) > MAX_TEMPLATE_VALUE_CHARACTERS:
                    _refuse(f"repeats a value {count:,} times: {_size(sequence) * count:,} items; "
                            f"the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_TEMPLATE_INTEGER_BITS:
            _refuse(f"multiplies numbers too large (the limit is {MAX_TEMPLATE_INTEGER_BITS:,} bits)")
    elif operator == "**":
        if isinstance(left, number) and isinstance(right, number) and abs(left) > 1:
            import math

            bits = abs(right) * math.log2(abs(left)) if right > 0 else 0
            if bits > MAX_TEMPLATE_INTEGER_BITS:
                _refuse(f"raises a number to a power too large (the limit is {MAX_TEMPLATE_INTEGER_BITS:,} bits)")
    elif operator == "%":
        _check_format(left)
        _check_numbers(right if isinstance(right, tuple) else (right,), {})
    elif operator == "+" and not isinstance(left, number) and _size(left) + _size(right) > MAX_TEMPLATE_VALUE_CHARACTERS:
        _refuse(f"joins values into {_size(left) + _size(right):,} items; the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")


def _check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse, before it runs, a call whose result would be over the limits."""
    _check_numbers(args, kwargs)
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if isinstance(owner, str):
        if name in ("format", "format_map"):
            _check_format(owner)
        elif name == "replace" and len(args) >= 2:
            count = owner.count(str(args[0])) if args[0] else len(owner) + 1
            if len(owner) + count * _size(args[1]) > MAX_TEMPLATE_VALUE_CHARACTERS:
                _refuse(f"replaces into {len(owner) + count * _size(args[1]):,} characters; the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")
        elif name == "join" and args:
            _check_joined(args[0], len(owner))
        elif name == "expandtabs" and owner.count("\t") * (int(args[0]) if args else 8) > MAX_TEMPLATE_VALUE_CHARACTERS:
            _refuse(f"expands tabs past {MAX_TEMPLATE_VALUE_CHARACTERS:,} characters")


def _check_joined(items: Any, separator: int) -> None:
    if isinstance(items, (list, tuple, range, str)):
        total = sum(_size(item) if not isinstance(item, int) else 20 for item in items) + separator * len(items)
        if total > MAX_TEMPLATE_VALUE_CHARACTERS:
            _refuse(f"joins {len(items):,} values into {total:,} characters; the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")


def _bounded_filter(name: str, function: Any) -> Any:
    """A filter checked before it runs (its numbers, what `join`, `replace`, `indent` and
    `format` would make) and after (what it made)."""
    import functools

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = [arg for arg in args if not hasattr(arg, "globals") and not hasattr(arg, "environment")]
        _check_numbers(tuple(values[1:]), kwargs)
        subject = values[0] if values else None
        if name == "join":
            separator = values[1] if len(values) > 1 else kwargs.get("d", "")
            _check_joined(subject, _size(separator))
        elif name == "replace" and len(values) >= 3 and isinstance(subject, str):
            count = subject.count(str(values[1])) if values[1] else len(subject) + 1
            if len(subject) + count * _size(values[2]) > MAX_TEMPLATE_VALUE_CHARACTERS:
                _refuse(f"replaces into {len(subject) + count * _size(values[2]):,} characters; the limit is {MAX_TEMPLATE_VALUE_CHARACTERS:,}")
        elif name == "indent" and isinstance(subject, str):
            width = values[1] if len(values) > 1 else kwargs.get("width", 4)
            width = len(width) if isinstance(width, str) else int(width)
            if len(subject) + (subject.count("\n") + 1) * width > MAX_TEMPLATE_VALUE_CHARACTERS:
                _refuse(f"indents into more than {MAX_TEMPLATE_VALUE_CHARACTERS:,} characters")
        elif name == "format":
            _check_format(subject)
        return _check_value(function(*args, **kwargs))

    return bounded


def _environment() -> Any:
    """Jinja's immutable sandbox, with every operator, call and filter bounded."""
    from jinja2 import StrictUndefined
    from jinja2.compiler import CodeGenerator
    from jinja2.runtime import markup_join, str_join
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Generator(CodeGenerator):
        def visit_Concat(self, node: Any, frame: Any) -> None:  # `a ~ b`: checked before joining
            self.write("environment.checked_concat(context, (")
            for argument in node.nodes:
                self.visit(argument, frame)
                self.write(", ")
            self.write("))")

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})
        code_generator_class = Generator

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return _check_value(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
            _check_call(__obj, args, kwargs)
            return _check_value(super().call(__context, __obj, *args, **kwargs))

        def checked_concat(self, context: Any, parts: tuple[Any, ...]) -> Any:
            if sum(_size(str(part)) if not isinstance(part, str) else len(part) for part in parts) > MAX_TEMPLATE_VALUE_CHARACTERS:
                _refuse(f"joins text into more than {MAX_TEMPLATE_VALUE_CHARACTERS:,} characters")
            return markup_join(parts) if context.eval_ctx.autoescape else str_join(parts)

    environment = Bounded(autoescape=True, undefined=StrictUndefined, loader=None)
    environment.filters = {name: _bounded_filter(name, function) for name, function in environment.filters.items()}
    environment.globals.pop("lipsum", None)

    def bounded_range(*args: int) -> range:
        _check_numbers(args, {})
        numbers = range(*args)
        if len(numbers) > MAX_TEMPLATE_RANGE:
            _refuse(f"asks range() for {len(numbers):,} numbers; the limit is {MAX_TEMPLATE_RANGE:,}")
        return numbers

    environment.globals["range"] = bounded_range
    return environment


def render_course_template(path: Path, shown: str, values: list[dict[str, Any]]) -> list[str]:
    """Render the template at `path` once for each set of values; `shown` names it in messages."""
    from jinja2 import TemplateError, TemplateSyntaxError

    from ..files import UnsafeFile, read_bytes

    try:
        source = read_bytes(path, MAX_CERTIFICATE_TEMPLATE_BYTES).decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateProblem(f"{shown}: not UTF-8 text") from None
    except UnsafeFile as error:
        raise TemplateProblem(f"{shown}: {error.reason}") from None
    environment = _environment()
    try:
        template = environment.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"{shown}:{error.lineno}: {error.message}") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise TemplateProblem(f"{shown}: the template cannot be read ({type(error).__name__})") from None
    out: list[str] = []
    total = 0
    with _time_limit(MAX_TEMPLATE_SECONDS, shown):
        for value in values:
            try:
                pieces: list[str] = []
                produced = 0
                for piece in template.generate(**value):
                    produced += len(piece)
                    total += len(piece)
                    if produced > MAX_CERTIFICATE_CHARACTERS:
                        raise TemplateProblem(
                            f"{shown}: the template prints more than {MAX_CERTIFICATE_CHARACTERS:,} characters for one participant (the limit)"
                        )
                    if total > MAX_CERTIFICATES_CHARACTERS:
                        raise TemplateProblem(
                            f"{shown}: the template prints more than {MAX_CERTIFICATES_CHARACTERS:,} characters for the "
                            f"{len(values)} participants together (the limit)"
                        )
                    pieces.append(piece)
                text = "".join(pieces)
            except TemplateProblem:
                raise
            except TemplateError as error:
                line = getattr(error, "lineno", None) or _line_of(error)
                raise TemplateProblem(f"{shown}{f':{line}' if line else ''}: {error.message or error}") from None
            except (OverflowError, RecursionError, MemoryError, TypeError, ValueError, ArithmeticError) as error:
                raise TemplateProblem(f"{shown}: the template failed ({type(error).__name__}: {str(error)[:200]})") from None
            depth = html_depth(text)
            if depth > MAX_TEMPLATE_HTML_DEPTH:
                raise TemplateProblem(
                    f"{shown}: the template prints HTML nested {depth:,} levels deep; at most {MAX_TEMPLATE_HTML_DEPTH} are allowed"
                )
            out.append(text)
    return out


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
_SELF_CLOSING = {"p", "li", "dt", "dd", "tr", "td", "th", "option"}
"""Elements a new one of the same name closes (`<p>a<p>b` is two paragraphs, not nested)."""


def html_depth(html: str) -> int:
    """How deeply a piece of HTML nests its elements, as a browser would build them."""
    from html.parser import HTMLParser

    class Depth(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.stack: list[str] = []
            self.deepest = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _VOID:
                return
            if tag in _SELF_CLOSING and self.stack and self.stack[-1] == tag:
                self.stack.pop()
            self.stack.append(tag)
            self.deepest = max(self.deepest, len(self.stack))

        def handle_endtag(self, tag: str) -> None:
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass

    parser = Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


def _line_of(error: BaseException) -> int | None:
    """The template line an error was raised at, from its traceback (Jinja maps frames of
    compiled templates back to their lines)."""
    import traceback

    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return None


def certificate_values(course, name: str, organisation: str, dates: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What a course's certificate template may use."""
    return {
        "name": name,
        "organisation": organisation,
        "course": course.title or "",
        "dates": dates,
        "place": ", ".join(part for part in (course.city, course.country) if part) or course.venue,
        "organisers": "; ".join(course.organisers),
    }
