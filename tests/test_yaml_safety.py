"""The YAML reader on hostile or surprising input: always a located message, never a hang."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from trainer.yamlfile import MAX_BYTES, YamlProblem, read_yaml

BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *[
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]"
            for i in range(8)
        ],
    ]
)


def problem(text: str | bytes, tmp_path: Path) -> str:
    path = tmp_path / "course.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlProblem) as error:
        read_yaml(path)
    return error.value.problem.format(relative_to=tmp_path)


def test_python_tags_are_refused(tmp_path):
    assert problem("x: !!python/object/apply:os.system [ls]\n", tmp_path) == (
        "course.yaml:1:4: the tag '!!python/object/apply:os.system' is not allowed"
    )


def test_billion_laughs_is_refused_in_bounded_work_and_memory(tmp_path):
    # bounded work is measured as CPU time with a generous limit (a busy machine slows the
    # wall clock, not this process's CPU time); the bomb expands to 387 million values
    tracemalloc.start()
    start = time.process_time()
    message = problem(BOMB, tmp_path)
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "too many values" in message and "aliases" in message
    assert cpu < 30 and peak < 200 * 1024 * 1024


def test_self_referencing_alias_is_an_error_not_a_hang(tmp_path):
    assert problem("a: &x [1, *x]\n", tmp_path) == "course.yaml:1:4: an alias refers to the value that contains it"


def test_deep_nesting_is_a_message_not_a_recursion_error(tmp_path):
    # trainer's own limit answers before libyaml's (whose wording changed in PyYAML 6.0.4)
    message = problem("a: " + "[" * 10_000 + "]" * 10_000 + "\n", tmp_path)
    assert message == "course.yaml:1:67: nested more than 64 levels deep"


def test_deep_block_nesting_is_located(tmp_path):
    text = "".join("  " * level + f"k{level}:\n" for level in range(80)) + "  " * 80 + "x\n"
    message = problem(text, tmp_path)
    assert message.startswith("course.yaml:65:") and message.endswith("nested more than 64 levels deep")


def test_a_tab_in_the_indentation_is_named(tmp_path):
    assert problem("days:\n  - start: '09:00'\n\tend: '17:00'\n", tmp_path) == (
        "course.yaml:3:1: a tab character where YAML expects spaces: indent with spaces only"
    )


def test_oversized_file(tmp_path):
    assert "the limit is 5 MB" in problem(b"a: " + b"x" * (MAX_BYTES + 1), tmp_path)


def test_not_utf8(tmp_path):
    assert problem(b"title: \xff\xfe\n", tmp_path).startswith("course.yaml:1:8: the file is not UTF-8 text")


def test_nul_byte(tmp_path):
    assert problem("title: a\x00b\n", tmp_path) == "course.yaml:1:9: the file contains a NUL byte"


def test_duplicate_keys(tmp_path):
    assert problem("days: 3\ntitle: a\ndays: 2\n", tmp_path) == "course.yaml:3:1: duplicate key 'days' (first given on line 1)"


def test_merge_keys_are_refused(tmp_path):
    assert "merge keys" in problem("base: &b {a: 1}\nother:\n  <<: *b\n", tmp_path)


@pytest.mark.parametrize(
    ("text", "value"),
    [("NO", "NO"), ("on", "on"), ("yes", "yes"), ("1:30", "1:30"), ("12:30", "12:30"), ("010", "010"), ("1.10", "1.10"), ("0x1F", "0x1F")],
)
def test_yaml_11_surprises_keep_the_text(tmp_path, text, value):
    path = tmp_path / "x.yaml"
    path.write_text(f"value: {text}\n", encoding="utf-8")
    assert read_yaml(path).data == {"value": value}


def test_times_in_a_day_template_stay_times(tmp_path):
    from trainer.models import Day

    path = tmp_path / "x.yaml"
    path.write_text("start: 9:00\nend: 12:30\n", encoding="utf-8")
    day = Day.model_validate(read_yaml(path).data)
    assert (day.start.hour, day.start.minute, day.end.hour, day.end.minute) == (9, 0, 12, 30)
