"""Limits on what input expands to: every case ends quickly with exit 1 and a message that
names the file, the field and the limit, in bounded time and memory (docs/SECURITY.md).

Each hostile case runs in a process of its own with a generous time limit; its CPU time and
peak memory are measured (never wall-clock time) and must stay under 10 s and 500 MB.
"""

from __future__ import annotations

import base64
import io
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
COURSE = (ROOTS / "course-good" / "course.yaml").read_text(encoding="utf-8")
CPU_SECONDS = 10
PEAK_MB = 500


def refused(result, *needles: str) -> str:  # type: ignore[no-untyped-def]
    """Exit 1 within the bounds, with one line of stderr that holds every needle."""
    assert result.code is not None, "the command had to be stopped: a hang"
    assert result.code == 1, (result.code, result.err[-3000:])
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert result.cpu < CPU_SECONDS and result.peak_mb < PEAK_MB, (result.cpu, result.peak_mb)
    lines = [line for line in result.err.splitlines() if all(needle in line for needle in needles)]
    assert lines, result.err[-3000:]
    return lines[0]


def with_course(course, extra: str = "", replace: tuple[str, str] | None = None, files: dict[str, str] | None = None) -> Path:  # type: ignore[no-untyped-def]
    text = COURSE
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    return course("course-good", {"course.yaml": text + extra, **(files or {})})


# ----------------------------------------------------------------- YAML aliases by size


def test_an_alias_repeating_a_megabyte_is_refused_by_size(tmp_path):
    """A 1 MB scalar repeated 150,000 times: few values, 150 GB of text."""
    from trainer.yamlfile import YamlProblem, read_yaml

    path = tmp_path / "course.yaml"
    path.write_text("big: &big " + "x" * 1_000_000 + "\norganisers: [" + ", ".join(["*big"] * 150_000) + "]\n")
    tracemalloc.start()
    start = time.process_time()
    with pytest.raises(YamlProblem) as error:
        read_yaml(path)
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    message = error.value.problem.format(relative_to=tmp_path)
    assert message.startswith("course.yaml:1:") and "5,000,000 characters" in message and "at organisers[5]" in message
    assert cpu < CPU_SECONDS and peak < 200 * 1024 * 1024


def test_steps_repeated_by_alias_are_refused(course, bounded):
    activity = "id: local-visit\ntitle: Visit\npurpose: See.\nminutes: 30\ngrouping: plenary\nsources: [{doc: X}]\n"
    activity += "steps:\n  - &s " + "y" * 100_000 + "\n" + "".join("  - *s\n" for _ in range(100_000))
    folder = with_course(course, files={"local/activities/local-visit.yaml": activity})
    refused(bounded("check", folder), "local/activities/local-visit.yaml", "5,000,000 characters")


# ----------------------------------------------------------------- strings and lists


def test_a_four_megabyte_title_is_refused(course, bounded):
    folder = with_course(course, replace=("title: Test course in Oslo", "title: " + "T" * 4_000_000))
    line = refused(bounded("build", folder), "course.yaml:2:", "title", "at most 1,000 characters")
    assert "4,000,000" in line


def test_a_markdown_list_of_100000_items_is_refused(course, bounded):
    body = "".join(f"  - item {n}\n" for n in range(100_000))
    folder = with_course(course, files={"local/handouts/bingo-card.yaml": f"id: bingo-card\ntitle: Card\nsources: [{{doc: X}}]\nbody: |\n{body}"})
    refused(bounded("build", folder, "--only", "handouts"), "local/handouts/bingo-card.yaml", "body", "100,000 characters")


def test_a_long_but_short_lined_markdown_body_is_refused_by_lines(course, bounded):
    body = "".join("  - a\n" for _ in range(5_000))  # 30,000 characters, 5,000 list items
    folder = with_course(course, files={"local/handouts/bingo-card.yaml": f"id: bingo-card\ntitle: Card\nsources: [{{doc: X}}]\nbody: |\n{body}"})
    refused(bounded("build", folder, "--only", "handouts"), "local/handouts/bingo-card.yaml", "body", "2,000 lines")


def test_fifty_thousand_days_are_refused(course, bounded):
    days = "days:\n" + "".join("  - {start: '09:00', end: '17:00'}\n" for _ in range(50_000))
    text = COURSE[: COURSE.index("days:")] + days + COURSE[COURSE.index("trainers:"):]
    folder = course("course-good", {"course.yaml": text})
    refused(bounded("build", folder, "--only", "agenda"), "course.yaml", "days", "at most 30")


def test_sixty_thousand_participants_by_alias_are_refused(course, bounded):
    people = "participants:\n  - &p {name: Ana Silva}\n" + "".join("  - *p\n" for _ in range(60_000))
    folder = with_course(course, extra=people)
    refused(bounded("build", folder, "--only", "certificates"), "course.yaml", "participants", "at most 500")


def test_long_values_in_a_certificate_template_are_refused(course, bounded):
    people = "certificate_template: local/c.html\nparticipants:\n" + "".join(f"  - {{name: '{'N' * 190_000}'}}\n" for _ in range(20))
    folder = with_course(course, extra=people, files={"local/c.html": "{% for i in range(60) %}{{ name }}{% endfor %}"})
    refused(bounded("build", folder, "--only", "certificates"), "course.yaml", "participants[1].name", "at most 1,000 characters")


# ----------------------------------------------------------------- numbers and dates


def test_minutes_with_400_digits(course, bounded):
    session = (ROOTS / "library/modules/sessions/session-1.yaml").read_text().replace("minutes: 10\n", f"minutes: {'9' * 400}\n", 1)
    folder = with_course(course, files={"local/sessions/session-1.yaml": session})
    refused(bounded("check", folder), "local/sessions/session-1.yaml", "plan[1].minutes")


def test_a_session_number_of_300_digits(course, bounded):
    session = (ROOTS / "library/modules/sessions/session-1.yaml").read_text().replace("number: 1\n", f"number: {'1' * 300}\n", 1)
    folder = with_course(course, files={"local/sessions/session-1.yaml": session})
    refused(bounded("build", folder, "--only", "slides"), "local/sessions/session-1.yaml", "number", "999")


def test_a_scale_of_one_to_a_hundred_million(course, bounded):
    form = (ROOTS / "library/forms/end-of-day.yaml").read_text().replace(
        "type: scale, level: learning,", "type: scale, level: learning, scale: [1, 100000000],")
    folder = with_course(course, files={"local/forms/end-of-day.yaml": form})
    refused(bounded("build", folder, "--only", "forms"), "local/forms/end-of-day.yaml", "scale", "at most 11 points")


def test_a_hundred_million_lines_of_writing_space(course, bounded):
    form = (ROOTS / "library/forms/end-of-day.yaml").read_text().replace(
        "      - id: gender\n", "      - {id: comments, text: Comments, type: text, level: reaction, lines: 100000000}\n      - id: gender\n")
    folder = with_course(course, files={"local/forms/end-of-day.yaml": form})
    refused(bounded("build", folder, "--only", "forms"), "local/forms/end-of-day.yaml", "lines", "at most 40")


@pytest.mark.parametrize("when", ["9999-12-31", "0001-01-01", "2200-01-01", "1989-12-31"])
def test_a_course_outside_1990_to_2100_is_refused(course, bounded, when):
    folder = with_course(course, replace=("start_date: 2027-03-01", f"start_date: {when}"))
    refused(bounded("build", folder, "--only", "agenda"), "course.yaml:5:", "start_date", "between 1990 and 2100")


def test_a_day_date_outside_1990_to_2100_is_refused(course, bounded):
    folder = with_course(course, replace=('  - start: "09:00"\n', '  - date: 2222-02-02\n    start: "09:00"\n'))
    refused(bounded("check", folder), "course.yaml", "days[1].date", "between 1990 and 2100")


def test_a_source_date_epoch_far_in_the_future_is_refused(course, bounded):
    result = bounded("build", course(), "--only", "agenda", env={"SOURCE_DATE_EPOCH": "99999999999999"})
    refused(result, "SOURCE_DATE_EPOCH", "between 1990 and 2100")


# ----------------------------------------------------------------- files and archives


def test_a_sparse_three_gigabyte_file_in_local_is_never_read(course, bounded):
    folder = with_course(course)
    with (folder / "local/handouts/huge.yaml").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    refused(bounded("check", folder), "local/handouts/huge.yaml", "the limit is 5 MB")


def test_a_sparse_three_gigabyte_slide_template_is_never_read(course, bounded):
    folder = with_course(course, extra="slides:\n  template: ours.pptx\n")
    with (folder / "ours.pptx").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    refused(bounded("build", folder, "--only", "slides"), "slides.template", "ours.pptx", "50 MB")


def zip_bomb(path: Path, names: list[str], megabytes: int = 1024) -> None:
    """A zip whose one large member inflates from about 1 MB to `megabytes` of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name in names:
            package.writestr(name, "<x/>")
        with package.open("zz/bomb.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)


def test_a_zip_bomb_as_slide_template_is_refused_before_opening(course, bounded):
    folder = with_course(course, extra="slides:\n  template: ours.pptx\n")
    zip_bomb(folder / "ours.pptx", ["[Content_Types].xml", "ppt/presentation.xml"])
    refused(bounded("build", folder, "--only", "slides"), "slides.template", "ours.pptx", "100 MB")


def test_a_huge_xml_part_in_a_slide_template_is_refused(course, bounded):
    """A layout of 25 MB of text that inflates only 1.3 times: no bomb, but parsed whole."""
    folder = with_course(course, extra="slides:\n  template: ours.pptx\n")
    from pptx import Presentation

    Presentation().save(str(folder / "ours.pptx"))
    noise = base64.b64encode(os.urandom(19 * 1024 * 1024))
    with zipfile.ZipFile(folder / "ours.pptx", "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("ppt/slideLayouts/slideLayout99.xml", b"<x>" + noise + b"</x>")
    refused(bounded("build", folder, "--only", "slides"), "slides.template", "ours.pptx", "20 MB")


def test_a_zip_bomb_as_questionnaire_export_is_refused(course, bounded, tmp_path):
    path = tmp_path / "answers.xlsx"
    zip_bomb(path, ["[Content_Types].xml", "xl/workbook.xml"])
    refused(bounded("assess", course(), "--responses", path), "answers.xlsx", "100 MB")


def test_a_forged_dimension_in_an_export_is_bounded(course, bounded, tmp_path):
    """A sheet that claims a million rows and 16,384 columns, and holds a few cells."""
    from openpyxl import load_workbook

    source = Path(__file__).parent / "data" / "pre-course-kobo.xlsx"
    book = load_workbook(source)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "forged.xlsx"
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as forged:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                import re

                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
            forged.writestr(item.filename, data)
    result = bounded("assess", course(), "--responses", path)
    assert result.code in (0, 1) and "Traceback" not in result.err, result.err[-2000:]
    assert result.cpu < CPU_SECONDS and result.peak_mb < PEAK_MB, (result.cpu, result.peak_mb)


def test_a_csv_of_twenty_million_blank_lines_is_bounded(course, bounded, tmp_path):
    path = tmp_path / "answers.csv"
    with path.open("wb") as handle:
        handle.write(b"sector,gender\n")
        handle.write(b"\n" * 20_000_000)
    result = bounded("assess", course(), "--responses", path)
    refused(result, "answers.csv")


def test_a_csv_field_over_128_kb_is_a_message(course, bounded, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("sector,gender,expectations\nngo,woman," + "e" * 200_000 + "\n", encoding="utf-8")
    result = bounded("assess", course(), "--responses", path)
    assert result.code in (0, 1) and "Traceback" not in result.err and "internal error" not in result.err, result.err[-2000:]


# ----------------------------------------------------------------- images


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _handout_with_image(course, source: str) -> Path:  # type: ignore[no-untyped-def]
    return with_course(course, files={
        "local/handouts/bingo-card.yaml": f"id: bingo-card\ntitle: Card\nsources: [{{doc: X}}]\nbody: |\n  ![map]({source})\n",
    })


def test_a_169_megapixel_png_in_a_data_uri_is_left_out(course, bounded):
    data = _png(13_000, 13_000)
    assert len(data) < 700_000
    folder = _handout_with_image(course, "data:image/png;base64," + base64.b64encode(data).decode())
    result = bounded("build", folder, "--only", "handouts")
    assert result.code == 0, result.err[-2000:]
    assert "13000 x 13000 pixels" in result.err and "25 million" in result.err
    assert result.cpu < CPU_SECONDS and result.peak_mb < PEAK_MB, (result.cpu, result.peak_mb)


SVG_BOMB = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">'
    '<defs><rect id="a0" width="1" height="1"/>'
    + "".join(f'<g id="a{n + 1}">' + f'<use xlink:href="#a{n}"/>' * 10 + "</g>" for n in range(9))
    + '</defs><use xlink:href="#a9"/></svg>'
)


@pytest.mark.parametrize("where", ["data", "file"])
def test_an_svg_use_bomb_is_left_out(course, bounded, where):
    """In a course's certificate template (raw HTML) as a data: URI, or as a file in Markdown."""
    if where == "data":
        uri = "data:image/svg+xml;base64," + base64.b64encode(SVG_BOMB.encode()).decode()
        folder = with_course(course, extra="certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n",
                             files={"local/c.html": f'<p>{{{{ name }}}}</p><img src="{uri}">'})
        kind = "certificates"
    else:
        folder = _handout_with_image(course, "bomb.svg")
        (folder / "bomb.svg").write_text(SVG_BOMB)
        kind = "handouts"
    result = bounded("build", folder, "--only", kind, timeout=90)
    assert result.code == 0, result.err[-2000:]
    assert "<use>" in result.err and "100,000" in result.err
    assert result.cpu < CPU_SECONDS and result.peak_mb < PEAK_MB, (result.cpu, result.peak_mb)


def test_an_svg_of_a_million_pixels_a_side_is_left_out(course, bounded):
    folder = _handout_with_image(course, "wide.svg")
    (folder / "wide.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1000000"><rect width="5" height="5"/></svg>')
    result = bounded("build", folder, "--only", "handouts")
    assert result.code == 0, result.err[-2000:]
    assert "wide.svg" in result.err and "1000000 x 1000000" in result.err


def test_a_reasonable_svg_and_data_uri_are_used(course, bounded):
    small = base64.b64encode(_png(40, 30)).decode()
    folder = with_course(course, files={
        "local/handouts/bingo-card.yaml": "id: bingo-card\ntitle: Card\nsources: [{doc: X}]\nbody: |\n"
        f"  ![dot](data:image/png;base64,{small})\n\n  ![logo](logo.svg)\n",
        "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
                    '<defs><circle id="c" r="2"/></defs><use xlink:href="#c" x="3" y="3"/><use href="#c" x="7" y="7"/></svg>',
    })
    result = bounded("build", folder, "--only", "handouts")
    assert result.code == 0 and "left out" not in result.err, result.err[-2000:]


# ----------------------------------------------------------------- certificate templates


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'a' * 10**9 }}",
        "{{ 'a' | center(10**9) }}",
        "{{ 'a'.ljust(10**9) }}",
        "{{ '%1000000000s' % 'a' }}",
        "{% set x = 'a' * 1000 %}" + "".join("{%% set x%d = x%s ~ x%s %%}" % (n, "" if n == 0 else n - 1, "" if n == 0 else n - 1) for n in range(21)) + "{{ x20|length }}",
        "{{ ('a' * 1000).replace('a', 'b' * 100000) }}",
        "{{ range(1000) | join('a' * 1000000) }}",
        "{{ 'a\n' * 1000 | indent(10**6) }}",
        "{{ 2 ** (10 ** 8) }}",
    ],
    ids=["repeat", "center", "ljust", "percent", "doubling", "replace", "join", "indent", "power"],
)
def test_certificate_string_operations_are_bounded_before_they_run(course, bounded, template):
    folder = with_course(course, extra="certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n",
                         files={"local/c.html": template})
    refused(bounded("check", folder), "certificate_template", "local/c.html")


def test_certificates_printing_too_much_together_are_refused(course, bounded):
    """Each certificate under its own limit, 500 of them together far over what a build can
    lay out in seconds (4.5 million characters took WeasyPrint a minute)."""
    people = "certificate_template: local/c.html\nparticipants:\n" + "".join(f"  - {{name: Person {n}}}\n" for n in range(500))
    folder = with_course(course, extra=people, files={"local/c.html": "<p>{{ (name ~ ' ') * 1000 }}</p>"})
    refused(bounded("build", folder, "--only", "certificates"), "certificate_template", "400,000 characters", "500 participants")


def test_nested_loops_in_a_certificate_template_are_bounded(course, bounded):
    template = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}"
    folder = with_course(course, extra="certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n",
                         files={"local/c.html": template})
    refused(bounded("check", folder), "certificate_template", "local/c.html")


def test_a_certificate_template_nested_thousands_deep_is_refused(course, bounded):
    """WeasyPrint recurses once per level of HTML: 1,800 nested divs were a RecursionError."""
    folder = with_course(course, extra="certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n",
                         files={"local/c.html": "<div>" * 1800 + "{{ name }}" + "</div>" * 1800})
    refused(bounded("build", folder, "--only", "certificates"), "certificate_template", "1,800 levels", "at most 100")


def test_an_ordinary_certificate_template_still_works(course, bounded):
    template = "<h1>{{ course|upper }}</h1>{% for part in name.split(' ') %}<b>{{ part|title }}</b>{% endfor %}{{ '-' * 20 }}{{ dates }}"
    folder = with_course(course, extra="certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n",
                         files={"local/c.html": template})
    result = bounded("build", folder, "--only", "certificates")
    assert result.code == 0, result.err[-2000:]


def test_the_limits_are_documented():
    """Every limit is a named constant, each name used once, each documented in SECURITY.md."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    from trainer import build, files, loader, responses, yamlfile
    from trainer.models import base, minutes
    from trainer.render import common, markdown, sandbox, slides

    modules = (files, yamlfile, loader, base, minutes, common, markdown, sandbox, slides, responses, build)
    names = [name for module in modules for name in vars(module) if name.startswith(("MAX_", "MIN_"))
             and not name.startswith("MAX_SHOWN") and isinstance(getattr(module, name), int)]
    assert len(names) > 30 and len(names) == len(set(names)), sorted(names)
    missing = [name for name in names if f"`{name}`" not in text]
    assert missing == []
