"""A course's own template (the certificate), rendered in Jinja's sandbox.

A course folder is untrusted (docs/SECURITY.md): its template may not reach Python objects
(the sandbox refuses `__class__`, `__globals__` ...), may not include files (there is no
loader), may not loop without end (a time limit), may not print without end (a size limit),
and may not leave a value blank silently (StrictUndefined).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import TrainerError

MAX_TEMPLATE_BYTES = 200_000
MAX_OUTPUT_CHARACTERS = 200_000
SECONDS = 5


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


def render_course_template(path: Path, shown: str, values: list[dict[str, Any]]) -> list[str]:
    """Render the template at `path` once for each set of values; `shown` names it in messages."""
    from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateProblem(f"{shown}: larger than {MAX_TEMPLATE_BYTES // 1000} KB")
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateProblem(f"{shown}: not UTF-8 text") from None
    except OSError as error:
        raise TemplateProblem(f"{shown}: cannot be read ({error.strerror})") from None
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=None)
    try:
        template = environment.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"{shown}:{error.lineno}: {error.message}") from None
    out: list[str] = []
    with _time_limit(SECONDS, shown):
        for value in values:
            try:
                text = template.render(**value)
            except TemplateProblem:
                raise
            except TemplateError as error:
                line = getattr(error, "lineno", None)
                raise TemplateProblem(f"{shown}{f':{line}' if line else ''}: {error.message or error}") from None
            except (OverflowError, RecursionError, MemoryError, TypeError, ValueError, ArithmeticError) as error:
                raise TemplateProblem(f"{shown}: the template failed ({type(error).__name__}: {error})") from None
            if len(text) > MAX_OUTPUT_CHARACTERS:
                raise TemplateProblem(f"{shown}: the template produced more than {MAX_OUTPUT_CHARACTERS:,} characters")
            out.append(text)
    return out


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
