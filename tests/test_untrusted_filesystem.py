"""The filesystem is input too: a course folder (and its build folder) may hold symbolic links,
pipes, devices and folders where files belong, planted by whoever sent it.

Every path trainer reads or writes stays inside the course folder, the library or the output
folder; a link that leaves them is refused with a message naming it; a FIFO, device or folder
where a file is expected is a clear error, found before anything opens it (never a hang); and
nothing outside those folders is created, changed or deleted (docs/SECURITY.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def state(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (not following links), with its kind and content hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[str(path.relative_to(folder))] = "link:" + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[str(path.relative_to(folder))] = "dir" if stat.S_ISDIR(info.st_mode) else "special"
    return out


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the course, with a file in it that nothing may touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("the facilitator's own file\n", encoding="utf-8")
    (folder / "x.pdf").write_bytes(b"%PDF- not trainer's\n")
    return folder


def manifest(out: Path, files: list[dict]) -> None:  # type: ignore[type-arg]
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps({"trainer": "0", "files": files}), encoding="utf-8")


def one_line_error(result, *needles: str) -> str:  # type: ignore[no-untyped-def]
    """The error a command ended with: exit 1, no traceback, every needle in one line."""
    assert result.code == 1, (result.code, result.err[-2000:])
    assert "Traceback" not in result.err and "internal error" not in result.err
    lines = [line for line in result.err.splitlines() if all(needle in line for needle in needles)]
    assert lines, result.err[-2000:]
    return lines[0]


# ----------------------------------------------------------------- the build folder


def test_a_linked_folder_inside_the_build_is_refused(course, bounded, outside):
    """build/handouts -> a folder elsewhere, with a planted manifest listing a file there:
    trainer neither deletes that file nor writes its PDFs there."""
    folder = course()
    out = folder / "build"
    out.mkdir()
    (out / "handouts").symlink_to(outside, target_is_directory=True)
    manifest(out, [{"path": "handouts/x.pdf", "size": 20, "sha256": hashlib.sha256(b"%PDF- not trainer's\n").hexdigest(),
                    "job": "handouts:gone", "fingerprint": "0"}])
    before = state(outside)
    result = bounded("build", folder, "--only", "handouts,agenda", "--force")
    one_line_error(result, "build/handouts", "symbolic link")
    assert state(outside) == before


def test_a_dangling_lock_link_creates_nothing(course, bounded, tmp_path):
    folder = course()
    out = folder / "build"
    out.mkdir()
    target = tmp_path / "nologin"
    (out / ".trainer.lock").symlink_to(target)
    result = bounded("build", folder, "--only", "agenda")
    one_line_error(result, ".trainer.lock", "symbolic link")
    assert not target.exists()


@pytest.mark.parametrize("name", [".trainer.lock", "manifest.json"])
def test_a_fifo_in_the_build_folder_is_an_error_not_a_hang(course, bounded, name):
    folder = course()
    out = folder / "build"
    out.mkdir()
    os.mkfifo(out / name)
    result = bounded("build", folder, "--only", "agenda", timeout=60)
    assert result.code is not None, "the build hung on a FIFO"
    one_line_error(result, name, "not a regular file")


def test_a_planted_output_with_the_recorded_size_is_rendered_again(course, cli):
    """Only a sha256 that matches the manifest makes an output trusted, not its size."""
    folder = course()
    code, _, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    html = folder / "build/agenda/agenda.html"
    genuine = html.read_bytes()
    planted = b"<script>alert(1)</script>".ljust(len(genuine), b" ")
    html.write_bytes(planted)
    code, out, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    assert html.read_bytes() == genuine
    assert "nothing changed" not in out


def test_a_planted_link_as_an_output_is_refused(course, cli, bounded, outside):
    """A manifest entry that is a symbolic link (with the target's hash planted in the
    manifest) is never trusted, read or written through."""
    folder = course()
    code, _, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    out = folder / "build"
    html = out / "agenda/agenda.html"
    html.unlink()
    html.symlink_to(outside / "precious.txt")
    data = json.loads((out / "manifest.json").read_text())
    for entry in data["files"]:
        if entry["path"] == "agenda/agenda.html":
            entry["size"] = (outside / "precious.txt").stat().st_size
            entry["sha256"] = hashlib.sha256((outside / "precious.txt").read_bytes()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(data))
    before = state(outside)
    result = bounded("build", folder, "--only", "agenda")
    one_line_error(result, "agenda/agenda.html", "symbolic link")
    assert state(outside) == before


@pytest.mark.parametrize("kind", ["dangling", "elsewhere"])
def test_a_linked_build_folder_is_refused(course, bounded, outside, tmp_path, kind):
    folder = course()
    target = tmp_path / "nowhere" if kind == "dangling" else outside
    (folder / "build").symlink_to(target, target_is_directory=True)
    before = state(outside)
    result = bounded("build", folder, "--only", "agenda")
    one_line_error(result, "build", "symbolic link")
    assert state(outside) == before and not (tmp_path / "nowhere").exists()


def test_a_manifest_entry_that_is_a_folder_is_a_clean_error(course, cli, bounded):
    folder = course()
    code, _, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    html = folder / "build/agenda/agenda.html"
    html.unlink()
    html.mkdir()
    (html / "inside.txt").write_text("mine")
    result = bounded("build", folder, "--only", "agenda")
    one_line_error(result, "agenda/agenda.html", "folder")
    assert (html / "inside.txt").read_text() == "mine"


def test_a_manifest_whose_jobs_are_not_text_is_ignored(course, bounded):
    folder = course()
    manifest(folder / "build", [{"path": "agenda/agenda.html", "size": 1, "sha256": "0", "job": ["agenda"], "fingerprint": 3},
                                {"path": {"a": 1}, "job": "agenda:agenda"}, "not an entry", 7])
    result = bounded("build", folder, "--only", "agenda", "--force")
    assert result.code == 0, result.err
    assert (folder / "build/agenda/agenda.pdf").is_file()


# ----------------------------------------------------------------- where the output folder cannot be


def test_an_output_folder_under_a_file_is_a_clean_error(course, bounded, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = bounded("build", course(), "--only", "agenda", "--out", blocker / "build")
    one_line_error(result, "a-file", "cannot")


def test_an_output_folder_under_proc_is_a_clean_error(course, bounded):
    result = bounded("build", course(), "--only", "agenda", "--out", "/proc/trainer-build")
    one_line_error(result, "/proc/trainer-build", "cannot")


def test_a_read_only_output_folder_is_a_clean_error(course, bounded, tmp_path):
    """Read-only for the user who builds (as root, the build runs without root's override)."""
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = bounded("build", course(), "--only", "agenda", "--out", out, as_user=True)
        one_line_error(result, str(out), "cannot")
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o755)


# ----------------------------------------------------------------- the course folder


def test_a_local_folder_linked_elsewhere_is_refused(course, bounded, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text("id: secret\ntitle: Read from outside\nbody: x\nsources: [{doc: X}]\n")
    folder = course()
    shutil.rmtree(folder / "local/handouts")
    (folder / "local/handouts").symlink_to(elsewhere, target_is_directory=True)
    result = bounded("check", folder)
    one_line_error(result, "local/handouts", "symbolic link", "outside the course folder")


@pytest.mark.parametrize("name", ["course.yaml", "assessment.yaml", "local/activities/local-visit.yaml"])
def test_a_course_file_linked_outside_is_refused(course, bounded, outside, name):
    folder = course()
    target = outside / "elsewhere.yaml"
    shutil.copy(folder / name, target)
    (folder / name).unlink()
    (folder / name).symlink_to(target)
    result = bounded("check", folder)
    one_line_error(result, name, "symbolic link", "outside the course folder")


def test_a_link_inside_the_course_folder_is_fine(course, cli):
    folder = course()
    (folder / "shared").mkdir()
    os.replace(folder / "local/activities/local-visit.yaml", folder / "shared/local-visit.yaml")
    (folder / "local/activities/local-visit.yaml").symlink_to(Path("../../shared/local-visit.yaml"))
    code, out, err = cli("check", folder)
    assert code == 0, err
    assert "3 local item(s)" in out


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_special_file_where_a_course_file_belongs_is_an_error(course, bounded, kind):
    folder = course()
    target = folder / "local/handouts/extra.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        try:
            os.mknod(target, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
        except PermissionError:
            pytest.skip("making a device node needs root")
    result = bounded("check", folder, timeout=60)
    assert result.code is not None, "check hung"
    one_line_error(result, "local/handouts/extra.yaml", "not a regular file")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_special_assessment_is_an_error(course, bounded, kind):
    folder = course()
    (folder / "assessment.yaml").unlink()
    if kind == "fifo":
        os.mkfifo(folder / "assessment.yaml")
    else:
        (folder / "assessment.yaml").mkdir()
    result = bounded("check", folder, timeout=60)
    assert result.code is not None, "check hung"
    one_line_error(result, "assessment.yaml", "not a regular file")


# ----------------------------------------------------------------- trainer assess and init


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_responses_that_are_not_a_file(bounded, course, tmp_path, kind):
    path = tmp_path / "answers.csv"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    result = bounded("assess", course(), "--responses", path, timeout=60)
    assert result.code is not None, "assess hung"
    one_line_error(result, "answers.csv")


def test_assess_never_reads_or_copies_an_assessment_linked_elsewhere(course, bounded, outside):
    folder = course()
    (folder / "assessment.yaml").unlink()
    (outside / "assessment.yaml").write_text("# someone else's file\ncontext:\n  country: Elsewhere\n")
    (folder / "assessment.yaml").symlink_to(outside / "assessment.yaml")
    before = state(outside)
    result = bounded("assess", folder, "--responses", DATA / "pre-course-odk.csv")
    one_line_error(result, "assessment.yaml", "symbolic link")
    assert state(outside) == before
    assert not [path for path in folder.iterdir() if path.name.startswith("assessment.yaml.")]


def test_assess_never_writes_through_planted_backup_or_temporary_links(course, cli, outside):
    folder = course()
    for name in ("assessment.yaml.bak", ".assessment.yaml.tmp", ".assessment.tmp"):
        (folder / name).symlink_to(outside / "precious.txt")
    before = state(outside)
    code, _, err = cli("assess", folder, "--responses", DATA / "pre-course-odk.csv")
    assert code == 0, err
    assert state(outside) == before
    assert "number: 26" in (folder / "assessment.yaml").read_text()


def test_init_never_writes_through_links(cli, tmp_path, outside):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "course.yaml").symlink_to(outside / "precious.txt")
    (folder / "assessment.yaml.bak").symlink_to(outside / "x.pdf")
    (folder / "assessment.yaml").write_text("mine: 1\n")
    before = state(outside)
    code, _, err = cli("init", folder, "--force")
    assert code == 1 and "course.yaml" in err and "symbolic link" in err
    assert state(outside) == before


def test_a_loop_of_links_is_a_message(course, bounded):
    folder = course()
    (folder / "local/handouts/loop.yaml").symlink_to("loop.yaml")
    (folder / "local/forms").symlink_to("forms", target_is_directory=True)
    result = bounded("check", folder)
    one_line_error(result, "local/handouts/loop.yaml")
    one_line_error(result, "local/forms")


def test_templates_linked_inside_the_course_folder_are_used(course, cli):
    """A certificate template that is a link to a file inside the course folder is read."""
    folder = course()
    (folder / "shared").mkdir()
    (folder / "shared/c.html").write_text("<h1>Ours</h1><p>{{ name }}</p>")
    (folder / "local/c.html").symlink_to(Path("../shared/c.html"))
    with (folder / "course.yaml").open("a") as handle:
        handle.write("certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n")
    code, _, err = cli("build", folder, "--only", "certificates")
    assert code == 0, err
