"""The CLI, through Typer's runner and through the installed `trainer` executable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from trainer import __version__

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("weasyprint", "pptx", "docx", "matplotlib")


def test_version(cli):
    code, out, _ = cli("--version")
    assert (code, out.strip()) == (0, f"trainer {__version__}")


@pytest.mark.parametrize("command", ["check", "list", "show", "plan", "build", "init", "assess"])
def test_every_command_has_help_with_an_example(cli, command):
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert "Example: trainer " in out


def test_check_a_good_course(cli, course):
    code, out, err = cli("check", course())
    assert code == 0, err
    assert "Test course in Oslo" in out
    assert "3 local item(s)" in out
    assert out.rstrip().endswith("ok (1 warning(s))")
    assert "warning: duration: the plan's segments take at most 50 min" in err


def test_list_sessions(cli, test_library):
    code, out, _ = cli("list", "sessions")
    assert code == 0
    assert "Session 1: First session" in out and "1 h to 1 h 30 min" in out
    assert "Session 2: Second session" in out


def test_list_activities_includes_local_items(cli, course):
    code, out, _ = cli("list", "activities", "--course", course())
    assert code == 0
    assert "Visit to a migrant resource centre" in out and "People bingo" in out


def test_list_refuses_an_unknown_kind(cli, test_library):
    code, _, err = cli("list", "sesions")
    assert code == 2
    assert "sesions" in err


def test_show_a_session(cli, test_library):
    code, out, _ = cli("show", "session-1")
    assert code == 0
    for text in ("Session 1: First session", "Welcome", "15-30 min", "choose: people-bingo / questionnaire", "<5 min"):
        assert text in out


def test_show_an_unknown_id_suggests_the_nearest(cli, test_library):
    code, _, err = cli("show", "people-bingoo")
    assert code == 1
    assert "error: no module, session, activity, handout or form has the id 'people-bingoo' (did you mean 'people-bingo'?)" in err


def test_overlay_replaces_a_library_item(cli, course):
    code, out, _ = cli("show", "bingo-card", "--course", course())
    assert code == 0
    assert "Local bingo card" in out and "worked in another country" in out


def _trainer_executable() -> str:
    found = shutil.which("trainer", path=os.path.dirname(sys.executable)) or shutil.which("trainer")
    if not found:
        pytest.fail("the trainer executable is not installed: run the README's set-up command")
    return found


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def test_installed_executable_checks_a_bad_course(tmp_path):
    folder = tmp_path / "my-course"
    shutil.copytree(REPO / "tests/roots/course-good", folder)
    (folder / "course.yaml").write_text("title: T\nsesions: [session-1]\n", encoding="utf-8")
    result = _run([_trainer_executable(), "check", "my-course"], tmp_path, TRAINER_LIBRARY=str(REPO / "tests/roots/library"))
    assert result.returncode == 1
    assert result.stderr.startswith("my-course/course.yaml:2:1: unknown field 'sesions' in course (did you mean 'sessions'?)")
    assert "Traceback" not in result.stderr


def test_light_commands_import_no_heavy_library(tmp_path):
    code = (
        "import sys; from trainer.cli import app\n"
        "try:\n    app(['check'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    result = _run([sys.executable, "-c", code], tmp_path, TRAINER_LIBRARY=str(REPO / "tests/roots/library"))
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return next(out.glob("trainer-*.whl"))


def test_wheel_ships_the_library(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("trainer/library/modules/course.yaml", "trainer/cli.py"):
        assert expected in names
    assert any(name.startswith("trainer/library/modules/sessions/") for name in names)
    assert any(name.startswith("trainer/library/activities/") for name in names)


def test_plain_install_finds_the_library_from_another_directory(wheel, tmp_path):
    """`pip install .` into a fresh venv, run from elsewhere: the built-in library is found."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # Reuse this environment's dependencies instead of downloading them again.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    env = {k: v for k, v in os.environ.items() if k != "TRAINER_LIBRARY"}
    result = subprocess.run([str(venv / "bin" / "trainer"), "list", "modules"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "module-1" in result.stdout
    located = subprocess.run([str(python), "-c", "from trainer.library import library_root; print(library_root())"],
                             cwd=tmp_path, capture_output=True, text=True, env=env)
    assert located.stdout.strip().startswith(str(venv))
