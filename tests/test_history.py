"""The history of evaluated courses, against SQLite and against a real PostgreSQL server that
this module starts (a temporary cluster from Debian's `postgresql` package on a free local
port); the PostgreSQL cases are skipped, with the reason, where the server cannot be started."""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from glob import glob
from pathlib import Path

import pytest

from trainer import history

sys.path.insert(0, str(Path(__file__).parent / "data"))


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="module")
def postgres_server():
    """A PostgreSQL server of its own: initdb into a temporary folder, pg_ctl start on a free
    port of 127.0.0.1, stopped and removed at the end. Runs as the `postgres` user when the
    tests run as root (the server refuses root)."""
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql): the history's PostgreSQL tests need it")
    run_as: dict = {}
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the PostgreSQL server as")
        run_as = {"user": "postgres", "group": "postgres"}
    base = Path(tempfile.mkdtemp(prefix="trainer-postgres-"))
    base.chmod(0o755)
    if run_as:
        shutil.chown(base, "postgres", "postgres")
    data = base / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    try:
        init = subprocess.run([str(bindir / "initdb"), "-D", str(data), "-U", "trainer", "--auth=trust", "-E", "UTF8",
                               "--no-sync"], capture_output=True, text=True, timeout=120, env=env, **run_as)
        if init.returncode:
            pytest.skip(f"PostgreSQL's initdb failed, so the PostgreSQL tests cannot run: {init.stderr.strip()[:300]}")
        start = subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
                                "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                               capture_output=True, text=True, timeout=120, env=env, **run_as)
        if start.returncode:
            log = (base / "server.log").read_text(errors="replace")[-300:] if (base / "server.log").exists() else ""
            pytest.skip(f"the PostgreSQL server did not start, so the PostgreSQL tests cannot run: {start.stderr.strip()[:200]} {log}")
        yield f"postgresql://trainer@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True,
                       timeout=60, env=env, **run_as)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A new, empty history database of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    server = request.getfixturevalue("postgres_server")
    from sqlalchemy import create_engine, text

    name = f"history_{os.getpid()}_{abs(hash(request.node.name)) % 10**8}"
    admin = create_engine(history.database_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """report.json of the synthetic course (figures only: no PDF is rendered)."""
    import make_responses

    from trainer.evaluate import collect, figures
    from trainer.prepare import prepare

    out = tmp_path_factory.mktemp("history-report")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRAINER_LIBRARY", raising=False)
        make_responses.make(out)
        prepared = prepare(out / "course")
        return figures(prepared, collect(prepared, sorted((out / "responses").iterdir())))


def _course(report: dict, title: str, start: str, shift: float) -> dict:
    """Another course: the same shape, its own title and date, session 5 rated `shift` higher."""
    other = copy.deepcopy(report)
    other["course"].update(title=title, start_date=start)
    for session in other["sessions"]:
        if session["session"] == "session-5":
            for rating in session["ratings"]:
                rating["mean"] = round(rating["mean"] + shift, 2)
            session["overall"]["mean"] = round(session["overall"]["mean"] + shift, 2)
    return other


def test_history_over_three_courses(database, report):
    courses = [_course(report, "Geneva 2027", "2027-05-10", 0.5), _course(report, "Dakar 2027", "2027-03-01", 0.0),
               _course(report, "Bangkok 2027", "2027-09-20", 1.0)]
    for course in courses:
        assert history.record(database, course) == history.shown(database)
    assert history.schema_version(database) == history.SCHEMA_VERSION
    found = history.query(database, "session-5")
    assert found["scope"] == "session-5"
    assert [course["title"] for course in found["courses"]] == ["Dakar 2027", "Geneva 2027", "Bangkok 2027"]
    five = next(entry for entry in report["sessions"] if entry["session"] == "session-5")
    knowledge = five["ratings"][0]["mean"]
    assert [course["values"]["knowledge"]["mean"] for course in found["courses"]] == pytest.approx(
        [knowledge, knowledge + 0.5, knowledge + 1.0])
    assert {course["values"]["knowledge"]["n"] for course in found["courses"]} == {five["ratings"][0]["n"]}
    whole = history.query(database)
    assert whole["scope"] == "course" and len(whole["courses"]) == 3
    assert whole["courses"][0]["values"]["sessions"] == report["summary"]["sessions"]
    # recording a course again replaces it: still three courses, the new figures
    again = _course(report, "Dakar 2027", "2027-03-01", -1.0)
    history.record(database, again)
    found = history.query(database, "session-5")
    assert len(found["courses"]) == 3 and found["courses"][0]["values"]["knowledge"]["mean"] == pytest.approx(knowledge - 1.0)


def test_groups_kept_in_the_history_follow_the_small_group_rule(database, report):
    from sqlalchemy import select

    history.record(database, report)
    engine, metadata = history.connect(database)
    with engine.connect() as connection:
        rows = connection.execute(select(metadata.tables["figures"])).mappings().all()
    engine.dispose()
    groups = {row["grp"] for row in rows}
    assert "gender:women" in groups and "gender:other-or-not-shown" in groups
    assert not {group for group in groups if group.endswith(("self-described", "prefer-not-to-say", ":nhri", ":un"))}
    assert all(row["n"] >= 5 for row in rows if row["grp"] != "all")


def test_the_schema_is_created_and_migrated(database, report):
    engine, _metadata = history.connect(database, upto=1)  # a history written by a trainer that knew version 1
    engine.dispose()
    from sqlalchemy import inspect

    engine = history.connect(database, upto=1)[0]
    assert not any(index["name"] == "ix_figures_scope_item" for index in inspect(engine).get_indexes("figures"))
    engine.dispose()
    history.record(database, report)  # migrates to the current version first
    engine, _metadata = history.connect(database)
    assert any(index["name"] == "ix_figures_scope_item" for index in inspect(engine).get_indexes("figures"))
    engine.dispose()
    assert history.schema_version(database) == 2
    assert len(history.query(database)["courses"]) == 1


def test_a_history_from_a_newer_trainer_is_refused(database):
    from sqlalchemy import update

    engine, metadata = history.connect(database)
    with engine.begin() as connection:
        connection.execute(update(metadata.tables["trainer_schema"]).values(version=99))
    engine.dispose()
    with pytest.raises(history.HistoryError, match="written by a newer trainer"):
        history.query(database)


def test_a_server_that_does_not_answer_is_a_clear_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://someone:secret@127.0.0.1:{port}/history"
    with pytest.raises(history.HistoryError) as raised:
        history.query(url)
    assert "the history database cannot be used" in str(raised.value)
    assert "secret" not in str(raised.value) and "someone:***@127.0.0.1" in str(raised.value)


def test_history_command_prints_a_table_and_writes_a_chart(cli, report, tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    db = tmp_path / "h.sqlite"
    for course in (_course(report, "Dakar 2027", "2027-03-01", 0), _course(report, "Geneva 2027", "2027-05-10", 0.5),
                   _course(report, "Bangkok 2027", "2027-09-20", 1.0)):
        history.record(str(db), course)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("evaluate", "--history", "--session", "session-5", "--db", db)
    assert code == 0, err
    assert "session-5: ratings across courses" in out
    lines = [line for line in out.splitlines() if "2027" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["Dakar 2027", "Geneva 2027", "Bangkok 2027"]
    chart = tmp_path / "build/evaluation/history-session-5.pdf"
    assert chart.is_file()
    text = " ".join(subprocess.run(["pdftotext", str(chart), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Session 5: The United Nations human rights system: ratings across courses" in text
    assert "Bangkok 2027 2027-09-20 Testville 170 3.95 (21) 4.14 (21) 4.05 (21) 4.05 (63)" in text
    code, out, err = cli("evaluate", "--history", "--db", db, "--json")
    assert code == 0, err
    assert [course["title"] for course in json.loads(out)["courses"]] == ["Dakar 2027", "Geneva 2027", "Bangkok 2027"]
    code, out, err = cli("evaluate", "--history", "--session", "sesion-5", "--db", db)
    assert code == 1 and "did you mean 'session-5'" in err


def test_the_default_history_lives_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert history.default_path() == tmp_path / "data/trainer/history.sqlite"
    assert history.query(None)["courses"] == []
    assert (tmp_path / "data/trainer/history.sqlite").is_file()
