"""`trainer init`: a checked course folder that documents every field, never overwriting silently."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

from trainer.library import templates_root
from trainer.models import Assessment, Course


def test_init_makes_a_course_that_checks(cli, test_library, tmp_path):
    folder = tmp_path / "my-course"
    code, out, _ = cli("init", folder)
    assert code == 0
    assert (folder / "course.yaml").is_file() and (folder / "assessment.yaml").is_file()
    for sub in ("local/sessions", "local/activities", "local/handouts"):
        assert (folder / sub).is_dir()
    code, _, err = cli("check", folder)
    assert code == 0, err


def test_init_refuses_to_overwrite_without_force(cli, tmp_path):
    folder = tmp_path / "c"
    cli("init", folder)
    (folder / "course.yaml").write_text("title: Mine\n", encoding="utf-8")
    code, _, err = cli("init", folder)
    assert code == 1 and "already exist" in err and "--force" in err
    assert (folder / "course.yaml").read_text() == "title: Mine\n"
    code, _, _ = cli("init", folder, "--force")
    assert code == 0
    assert (folder / "course.yaml.bak").read_text() == "title: Mine\n"


def _fields(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            for inner in (arg, *typing.get_args(arg)):
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not model:
                    names |= _fields(inner)
    return names


def test_every_field_is_explained_in_the_init_files():
    text = (templates_root() / "init" / "course.yaml").read_text() + (templates_root() / "init" / "assessment.yaml").read_text()
    missing = sorted(name for name in _fields(Course) | _fields(Assessment) if name not in text)
    assert not missing, f"fields not explained in templates/init: {missing}"
