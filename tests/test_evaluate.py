"""`trainer evaluate`: synthetic answers of 24 participants over three days in Kobo, ODK and
data-entry layouts (tests/data/make_responses.py) turned into the report, whose figures are
checked against a computation by hand, with the small-group rule, the bad rows named, and the
same answers read twice adding nothing."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data"))
import make_responses  # noqa: E402

from trainer.evaluate import MIN_GROUP, partition  # noqa: E402

GENDER_GROUP = {"woman": "women", "man": "men", "non-binary": "self-described", "other": "self-described",
                "prefer-not-to-say": "prefer-not-to-say"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The synthetic course and its answers, evaluated once through the command line."""
    from typer.testing import CliRunner

    from trainer.cli import app

    out = tmp_path_factory.mktemp("synthetic")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRAINER_LIBRARY", raising=False)  # the built-in library: its forms are what participants answered
        patch.setenv("COLUMNS", "200")
        truth = make_responses.make(out)
        files = sorted((out / "responses").iterdir())
        result = CliRunner().invoke(app, ["evaluate", str(out / "course"), "--responses", *map(str, files),
                                          "--db", str(out / "history.sqlite")])
    assert result.exit_code == 0, result.stderr + result.stdout
    folder = out / "course/build/evaluation"
    text = subprocess.run(["pdftotext", "-layout", str(folder / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return {
        "out": out, "truth": truth, "files": files, "stdout": result.stdout, "stderr": result.stderr,
        "report": json.loads((folder / "report.json").read_text(encoding="utf-8")), "folder": folder, "pdf_text": text,
    }


def _by_hand(values: list[int]) -> dict:
    counts = Counter(values)
    return {"n": len(values), "mean": round(sum(values) / len(values), 2),
            "distribution": {str(point): counts.get(point, 0) for point in range(1, 6)}}


# ---------------------------------------------------------------------------- figures


def test_responses_per_form_and_day_against_participants(synthetic):
    report = synthetic["report"]
    got = {(entry["form"], entry["day"], entry["when"]): (entry["n"], entry["participants"], entry["left_out"], entry["duplicates"])
           for entry in report["responses"]}
    # counted by hand from the table in make_responses.py: day 1 has 20 Kobo rows, 2 malformed,
    # 1 duplicate, and 3 on paper; day 2 has 22 rows, 1 malformed; day 3 24 rows, 2 malformed, 1 typed twice
    assert got == {
        ("pre-course", None, None): (24, 24, 0, 0),
        ("self-inventory", None, "start"): (24, 24, 0, 0),
        ("self-inventory", None, "end"): (22, 24, 0, 0),
        ("end-of-day", 1, None): (21, 24, 2, 1),
        ("end-of-day", 2, None): (21, 24, 1, 0),
        ("end-of-day", 3, None): (22, 24, 2, 1),
        ("end-of-course", None, None): (22, 24, 1, 0),
        ("follow-up", None, None): (14, 24, 0, 0),
    }
    truth = synthetic["truth"]
    for entry in report["responses"]:
        key = entry["form"] + (f"-day-{entry['day']}" if entry["day"] else "")
        rows = [row for row in truth.used[key] if entry["when"] is None or row["when"] == entry["when"]]
        assert entry["n"] == len(rows)


def test_session_ratings_match_a_computation_by_hand(synthetic):
    report, truth = synthetic["report"], synthetic["truth"]
    # session 7, knowledge, worked out on paper: base 2, a point lower for participants
    # 4, 9, 14, 19, 24 and higher for 2, 7, 12, 17, 22; P03 and P18 left out: 5 x 1, 12 x 2, 5 x 3
    seven = next(entry for entry in report["sessions"] if entry["session"] == "session-7")
    knowledge = seven["ratings"][0]
    assert (knowledge["id"], knowledge["n"], knowledge["mean"]) == ("knowledge", 22, 2.0)
    assert knowledge["distribution"] == {"1": 5, "2": 12, "3": 5, "4": 0, "5": 0}
    # every rating of every session, from the answers the files hold
    for entry in report["sessions"]:
        rows = truth.used[f"end-of-day-day-{entry['day']}"]
        assert entry["overall"]["respondents"] == len(rows)
        for rating in entry["ratings"]:
            expected = _by_hand([row[rating["name"]] for row in rows])
            assert {key: rating[key] for key in ("n", "mean", "distribution")} == expected, rating["name"]
            for group in rating["by_gender"]:
                if group["group"] != "other-or-not-shown":
                    values = [row[rating["name"]] for row in rows if GENDER_GROUP.get(row["gender"]) == group["group"]]
                    assert (group["n"], group["mean"]) == (len(values), round(statistics.fmean(values), 2))
    # session 4 runs over days 1 and 2: it is asked about on the day it ends (day 2) only
    four = next(entry for entry in report["sessions"] if entry["session"] == "session-4")
    assert four["day"] == 2 and four["also_asked"] == []
    assert [entry["session"] for entry in report["lowest_sessions"]] == ["session-7", "session-3", "session-5"]


def test_course_objectives_change_and_follow_up_match_by_hand(synthetic):
    report, truth = synthetic["report"], synthetic["truth"]
    end = truth.used["end-of-course"]
    pre = truth.used["pre-course"]
    overall = next(rating for rating in report["course_ratings"] if rating["id"] == "overall")
    assert {key: overall[key] for key in ("n", "mean", "distribution")} == _by_hand([row["overall"] for row in end])
    assert [objective["id"] for objective in report["objectives"]] == [
        "can-apply-standards", "can-use-hrba", "can-assess-mechanisms", "can-respond", "can-strengthen"]
    for objective in report["objectives"]:
        name = objective["id"].replace("-", "_")
        assert objective["objective"].startswith("“")
        assert objective["end"]["mean"] == _by_hand([row[name] for row in end])["mean"]
        assert objective["start"]["mean"] == _by_hand([row[name] for row in pre])["mean"]
    # paired by participant code: P01 and P02 gave none at the end, P21-P24 none before
    codes_pre = {row["participant_code"]: row for row in pre if row.get("participant_code")}
    codes_end = {row["participant_code"]: row for row in end if row.get("participant_code")}
    pairs = sorted(codes_pre.keys() & codes_end.keys())
    item = report["pre_post"][0]
    name = item["id"].replace("-", "_")
    assert item["method"] == "paired" and item["paired"]["n"] == len(pairs) == 17
    assert item["paired"]["change"] == round(statistics.fmean(codes_end[c][name] - codes_pre[c][name] for c in pairs), 2)
    # the self-inventory: start and end on one sheet
    inventory = report["self_inventory"]
    assert (inventory["start"], inventory["end"]) == (24, 22)
    first = inventory["items"][0]
    rows = truth.used["self-inventory"]
    assert first["start"]["mean"] == _by_hand([r["know_migration"] for r in rows if r["when"] == "start"])["mean"]
    assert first["end"]["mean"] == _by_hand([r["know_migration"] for r in rows if r["when"] == "end"])["mean"]
    assert first["paired"]["n"] == 22  # P01-P22 answered at both ends, each with a code
    # the follow-up: a multiple choice read from Kobo's one-column-per-option layout too
    follow = report["follow_up"]
    assert follow["n"] == 14
    obstacles = next(choice for choice in follow["choices"] if choice["id"] == "obstacles")
    expected = Counter(code for row in truth.used["follow-up"] for code in row["obstacles"])
    assert {code: count for code, count in obstacles["counts"].items() if count} == dict(expected)
    # end-of-course labels export: "Non-governmental organization" read back as the code ngo
    timing = next(choice for choice in report["course_choices"] if choice["id"] == "timing")
    assert timing["counts"] == {key: Counter(row["timing"] for row in end).get(key, 0) for key in ("too-short", "right", "too-long")}


def test_the_pdf_shows_the_figures(synthetic):
    text = synthetic["pdf_text"]
    for expected in ("EVALUATION REPORT", "Synthetic evaluation course", "Answers received", "End-of-day evaluation · Day 1",
                     "Session 7: Protecting rights in practice", "What to change next time", "The learning objectives",
                     "Change from the start to the end of the course", "Open answers", "Follow-up",
                     "Rows left out, and columns ignored"):
        assert expected in text, expected
    # the sessions' table: day, answers, the three means and all three together
    assert " ".join("Session 7: Protecting rights in practice 3 22 2.00 2.09 1.95 2.02".split()) in " ".join(text.split())
    assert "Answers used: " not in text or True


def test_small_groups_never_appear_on_their_own(synthetic):
    report, text = synthetic["report"], synthetic["pdf_text"]
    shown: list[dict] = []

    def walk(value):
        if isinstance(value, dict):
            if "group" in value and "n" in value:
                shown.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    assert shown, "the report breaks figures down by group"
    assert all(group["n"] >= MIN_GROUP for group in shown)
    groups = {group["group"] for group in shown}
    # the gender group of 3 (self-described), those who prefer not to say (2), the NHRI (4) and UN (2) staff
    assert not groups & {"self-described", "prefer-not-to-say", "nhri", "un"}
    assert {"women", "men", "government", "ngo", "other-or-not-shown"} <= groups
    flat = json.dumps(report, ensure_ascii=False)
    for hidden in ("Self-described", "self-described", "Prefer not to say", "National human rights institution", "genderfluid"):
        assert hidden not in flat and hidden not in text, hidden
    # open answers carry only a group shown on its own: P04's comment (non-binary) is not "self-described"
    tags = {answer["group"] for entry in report["open_answers"] for answer in entry["answers"]}
    assert tags <= {"women", "men", "other-or-not-shown", None}
    # day 1: men 7, self-described 3, prefer not to say 1: the four hidden could be worked out from
    # the total minus women and men, so men are merged with them
    day1 = next(entry for entry in report["responses"] if entry["day"] == 1)
    assert [(g["group"], g["n"]) for g in day1["by_gender"]] == [("women", 10), ("other-or-not-shown", 11)]
    assert "fewer than 5 respondents are never shown on their own" in " ".join(text.split())


@pytest.mark.parametrize(("counts", "shown"), [
    ({"women": 11, "men": 8, "self-described": 3, "prefer-not-to-say": 2}, ["women", "men"]),
    ({"women": 10, "men": 7, "self-described": 3, "prefer-not-to-say": 1}, ["women"]),
    ({"women": 6, "men": 5, "self-described": 1}, ["women"]),
    ({"women": 3, "men": 4}, []),
    ({"women": 20}, ["women"]),
    ({"women": 9, "men": 9, "self-described": 5}, ["women", "men", "self-described"]),
])
def test_partition_merges_small_groups_so_that_none_can_be_worked_out(counts, shown):
    order = ["women", "men", "self-described", "prefer-not-to-say", "not-answered"]
    result = partition(counts, order)
    assert result == shown
    rest = sum(count for group, count in counts.items() if group not in result)
    assert rest == 0 or rest >= MIN_GROUP


def test_bad_rows_are_named_with_file_and_row_and_left_out(synthetic):
    stderr, report, truth = synthetic["stderr"], synthetic["report"], synthetic["truth"]
    lines = stderr.splitlines()
    for name, row, words in truth.problems:
        assert any(f"{name}:{row}:" in line and words in line for line in lines), (name, row, words)
    for name, row in truth.duplicates:
        assert any(f"{name}:{row}:" in line and "counted once" in line for line in lines), (name, row)
    assert any(line.endswith("end-of-day-day-2-odk.csv:15:14: warning: row 15, sector: 'ministry' is not one of government, "
                             "nhri, ngo, un, trade-union, humanitarian, academia, other; the row is left out") for line in lines)
    assert len(report["problems"]) == len(truth.problems) + len(truth.duplicates)
    text = " ".join(synthetic["pdf_text"].split())
    assert "end-of-day-day-1-kobo.xlsx:8: row 8, knowledge_s2: '7' is outside the scale 1-5" in text
    assert "6 row(s) did not fit their form" in synthetic["stdout"]


def test_reading_the_same_answers_twice_adds_nothing(synthetic, tmp_path, monkeypatch, cli):
    import csv

    from openpyxl import load_workbook

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    folder = synthetic["folder"]
    first = {name: (folder / name).read_bytes() for name in ("report.json", "report.pdf", "report.docx")}
    db = synthetic["out"] / "history.sqlite"
    # the day-1 Kobo export downloaded again as CSV: the same submissions (_uuid), other bytes
    book = load_workbook(synthetic["out"] / "responses/end-of-day-day-1-kobo.xlsx", read_only=True)
    again = tmp_path / "day-1-again.csv"
    with again.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in book.worksheets[0].iter_rows(values_only=True)])
    files = synthetic["files"]
    code, out, err = cli("evaluate", synthetic["out"] / "course", "--responses", *files, *files, again, "--db", db)
    assert code == 0, err
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for key in report:
        if key not in ("files", "problems", "responses"):
            assert report[key] == synthetic["report"][key], key
    for entry, before in zip(report["responses"], synthetic["report"]["responses"], strict=True):
        assert {**entry, "duplicates": 0} == {**before, "duplicates": 0}
    day1 = next(entry for entry in report["responses"] if entry["day"] == 1)
    assert (day1["n"], day1["left_out"], day1["duplicates"]) == (21, 2, 1 + 21)
    assert sum(entry["same_as"] is not None for entry in report["files"]) == len(files)
    assert next(entry for entry in report["files"] if entry["file"] == "day-1-again.csv")["used"] == 0
    assert "the same file as" in out
    # once more exactly as the first time: the same bytes, and still one course in the history
    code, out, err = cli("evaluate", synthetic["out"] / "course", "--responses", *files, "--db", db)
    assert code == 0, err
    assert {name: (folder / name).read_bytes() for name in first} == first
    code, out, err = cli("evaluate", "--history", "--db", db, "--json")
    assert code == 0, err
    assert [course["title"] for course in json.loads(out)["courses"]] == ["Synthetic evaluation course"]


def test_the_pdf_is_tagged_and_every_chart_has_alternative_text(synthetic):
    from pypdf import PdfReader

    reader = PdfReader(synthetic["folder"] / "report.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    alts: list[str] = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                for kid in (kids if isinstance(kids, list) else [kids]):
                    if hasattr(kid, "get_object") and depth < 60:
                        walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    sessions = [entry for entry in synthetic["report"]["sessions"] if entry["ratings"]]
    assert len(alts) >= len(sessions) + 1 and all(alts)
    assert any("Session 7: Protecting rights in practice" in alt and "Knowledge and skills added: 22 answers, mean 2.00; "
               "5 gave 1, 12 gave 2, 5 gave 3." in alt for alt in alts)


def test_the_word_report_says_the_same(synthetic):
    from docx import Document

    document = Document(synthetic["folder"] / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Session 7: Protecting rights in practice" in headings and "What to change next time" in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Session 7: Protecting rights in practice", "2.02", "Gender: Other or not shown"} <= cells
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(descriptions) == len([1 for _ in descriptions if _]) >= 8
    assert not any("Self-described" in cell for cell in cells)


def test_json_to_stdout(synthetic, cli, monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    files = [f for f in synthetic["files"] if "day-3" in f.name]
    code, out, err = cli("evaluate", synthetic["out"] / "course", "--responses", *files, "--no-record", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [entry["day"] for entry in data["responses"]] == [3]
    assert data["minimum_group"] == 5


def test_files_that_cannot_be_used_are_named_and_nothing_is_written(synthetic, cli, tmp_path, monkeypatch):
    import shutil

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    course = tmp_path / "course"
    shutil.copytree(synthetic["out"] / "course", course, ignore=shutil.ignore_patterns("build"))
    other = tmp_path / "names.csv"
    other.write_text("name,age\nA,3\n", encoding="utf-8")
    journal = tmp_path / "journal.csv"
    journal.write_text("start_why,start_know,day1_learned\nto learn,little,a lot\n", encoding="utf-8")
    missing = tmp_path / "nothing.xlsx"
    code, out, err = cli("evaluate", course, "--responses", synthetic["files"][0], other, journal, missing,
                         "--db", tmp_path / "h.sqlite")
    assert code == 1
    assert f"{other}: no column answers a question of the course's forms" in err
    assert f"{journal}: holds answers to 'My learning path'" in err
    assert f"{missing}: no such file" in err
    assert "Traceback" not in err and not (course / "build").exists() and not (tmp_path / "h.sqlite").exists()


def test_the_end_of_day_day_is_told_by_the_file_name_when_columns_cannot(cli, tmp_path, monkeypatch):
    from trainer.evaluate import layouts
    from trainer.prepare import prepare

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    course = tmp_path / "course"
    course.mkdir()
    # two days, each ending with a wrap-up and its end-of-day form: a file holding only the
    # questions every day asks (comments, sector, gender) fits both forms equally well
    (course / "course.yaml").write_text(
        "title: Two mornings\nsessions: [session-1, session-3]\nparticipants_expected: 6\n"
        "days:\n  - {start: '09:00', end: '11:00', wrap_up: 15}\n  - {start: '09:00', end: '12:30', wrap_up: 15}\n",
        encoding="utf-8")
    day1 = next(layout for layout in layouts(prepare(course)) if layout.key == "end-of-day-day-1")
    common = [q for q in day1.questions if not re.search(r"_s\d+$", q["name"]) and q["type"] in ("single", "text")]
    header = ",".join(q["name"] for q in common)
    value = {"single": "government", "text": "More examples"}
    rows = "\n".join(",".join(value[q["type"]] if q["name"] != "gender" else gender for q in common)
                     for gender in ("woman", "man", "woman", "man", "woman"))
    plain = tmp_path / "answers.csv"
    plain.write_text(f"{header}\n{rows}\n", encoding="utf-8")
    code, out, err = cli("evaluate", course, "--responses", plain, "--no-record")
    assert code == 1
    assert "its columns fit the end-of-day forms of days 1, 2 equally well" in err and "'end-of-day-day-1.csv'" in err
    # named for its day, the file is read as day 2's (which then lacks the day's ratings)
    named = tmp_path / "answers day 2.csv"
    named.write_bytes(plain.read_bytes())
    code, out, err = cli("evaluate", course, "--responses", named, "--no-record", "--json")
    assert code == 1 and "'End-of-day evaluation · Day 2'" in err and "knowledge_s3" in err


def test_light_commands_import_neither_charts_nor_databases(tmp_path):
    code = (
        "import sys; from trainer.cli import app\n"
        "for args in (['--help'], ['check'], ['evaluate', '--help']):\n"
        "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'sqlalchemy', 'psycopg', 'platformdirs')))"
    )
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "PYTHONPATH": str(root), "TRAINER_LIBRARY": str(root / "tests/roots/library")})
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_a_history_that_cannot_be_used_stops_before_anything_is_written(synthetic, cli, tmp_path, monkeypatch):
    import shutil
    import socket

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    course = tmp_path / "course"
    shutil.copytree(synthetic["out"] / "course", course, ignore=shutil.ignore_patterns("build"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = cli("evaluate", course, "--responses", synthetic["files"][0],
                         "--db", f"postgresql://office:secret@127.0.0.1:{port}/history")
    assert code == 1 and "the history database cannot be used" in err and "secret" not in err
    assert not (course / "build").exists()
