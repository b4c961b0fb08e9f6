"""Reading questionnaire answers: KoboToolbox and ODK exports (XLSX or CSV) and the data-entry
sheets `trainer build` writes for typing in paper answers.

Whatever the source, a file becomes a table of rows, each with its row number as the
facilitator sees it in a spreadsheet and its answers by question name. Column headers are
normalised: Kobo and ODK prefix a question's name with its group (`section_1/sector`,
`section_1-sector`); a data-entry sheet names its form in its `about` sheet and has a row of
question texts under its header. Which form a file holds is recognised from its columns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, TrainerError

MAX_ANSWERS_BYTES = 20 * 1024 * 1024
"""A file of answers may be at most 20 MB."""
MAX_ROWS = 5000
"""At most 5,000 rows of answers (a course has at most 500 participants)."""
MAX_ANSWER_LINES = 50_000
"""At most 50,000 lines in a CSV file, blank ones included."""
MAX_COLUMNS = 2000
"""At most 2,000 columns are read."""
MAX_ANSWER_FIELD_CHARACTERS = 100_000
"""A CSV field may hold at most 100,000 characters."""
META_COLUMNS = {
    "respondent", "start", "end", "today", "deviceid", "username", "instanceid", "_id", "_uuid", "_submission_time",
    "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index", "key", "submissiondate",
    "submitterid", "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "deviceid",
    "edits", "formversion", "meta", "instancename", "_version_", "version",
}
"""Columns the collection tools add to every export: not answers."""


class ResponsesError(TrainerError):
    """Raised when a file of answers cannot be used at all (missing, unreadable, no rows, the
    wrong form); nothing is changed then."""


@dataclass
class ResponseTable:
    """The answers in one file."""

    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(row number as a spreadsheet shows it, {question name: answer text}) per respondent."""
    form_id: str | None = None
    """The form a data-entry sheet says it holds (its `about` sheet), else None."""
    headers: list[str] = field(default_factory=list)
    """The header row as the file has it (group paths and question labels kept)."""
    cells: list[tuple[int, list[str]]] = field(default_factory=list)
    """(row number, the row's cells in header order) per respondent: `rows` before its
    headers were shortened to question names."""
    sheet: str | None = None
    """The worksheet the answers were read from (Kobo names it after the form)."""
    version: str | None = None
    """The form version a data-entry sheet says it was made from (its `about` sheet)."""
    digest: str = ""
    """sha256 of the file's bytes: the same file given twice is read once."""


def column_name(header: object) -> str:
    """`section_1/sector`, `section_1-sector`, `group/sector` or `sector` -> `sector`."""
    text = str(header or "").strip()
    if "/" in text:
        text = text.rsplit("/", 1)[-1]
    elif re.match(r"^section_\d+-", text):
        text = text.split("-", 1)[1]
    return text.lower()


def check_file(path: Path) -> None:
    """Refuse what is not a readable regular file of a sane size, with a message that says so."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise ResponsesError(f"{path}: no such file") from None
    except OSError as error:
        raise ResponsesError(f"{path}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except OSError:
            raise ResponsesError(f"{path}: a link to a file that does not exist") from None
    if stat.S_ISDIR(info.st_mode):
        raise ResponsesError(f"{path}: is a folder; give the file of answers inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ResponsesError(f"{path}: not a regular file (a pipe, device or socket); give a .csv or .xlsx file")
    if info.st_size > MAX_ANSWERS_BYTES:
        raise ResponsesError(f"{path}: the file is over {MAX_ANSWERS_BYTES // 1024 // 1024} MB; is it the right one?")


def read_table(path: Path) -> ResponseTable:
    """Read a CSV or XLSX file of answers. Raises ResponsesError for an unusable file."""
    check_file(path)
    suffix = path.suffix.lower()
    form_id = version = sheet = None
    skip_labels = False
    from .files import UnsafeFile, read_bytes

    try:
        data = read_bytes(path, MAX_ANSWERS_BYTES)
    except UnsafeFile as error:
        raise ResponsesError(str(error)) from None
    except OSError as error:
        raise ResponsesError(f"{path}: cannot be read ({error.strerror or error})") from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ResponsesError(f"{path}: not UTF-8 text; export the CSV as UTF-8") from None
        lines = text.count("\n")
        if lines > MAX_ANSWER_LINES:
            raise ResponsesError(f"{path}: {lines:,} lines; a file of answers has at most {MAX_ANSWER_LINES:,}: is it the right file?")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            table = []
            for cells in csv.reader(io.StringIO(text), dialect):
                if any(len(cell) > MAX_ANSWER_FIELD_CHARACTERS for cell in cells):
                    raise ResponsesError(f"{path}: row {len(table) + 1} has a field over {MAX_ANSWER_FIELD_CHARACTERS:,} characters (the limit)")
                table.append(cells)
                if len(table) > MAX_ROWS + 2:
                    raise ResponsesError(f"{path}: more than {MAX_ROWS} rows; is it the right file?")
        except csv.Error as error:
            raise ResponsesError(f"{path}: not a readable CSV file ({error})") from None
    elif suffix in (".xlsx", ".xlsm"):
        table, form_id, version, sheet = _read_workbook(path)
        skip_labels = form_id is not None
    else:
        raise ResponsesError(f"{path}: expected a .csv or .xlsx file of questionnaire answers")
    if not table:
        raise ResponsesError(f"{path}: the file is empty")
    headers = [str(name or "").strip() for name in table[0]][:MAX_COLUMNS]
    header = [column_name(name) for name in headers]
    rows: list[tuple[int, dict[str, str]]] = []
    raw: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if skip_labels and number == 2:
            continue  # the data-entry sheet's row of question texts
        if not any(str(cell).strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ResponsesError(f"{path}: more than {MAX_ROWS} rows; is it the right file?")
        values = [str(cells[i]).strip() if i < len(cells) else "" for i in range(len(headers))]
        raw.append((number, values))
        rows.append((number, {name: values[i] for i, name in enumerate(header) if name}))
    return ResponseTable(path, [name for name in header if name], rows, form_id, headers, raw, sheet, version, digest)


def _read_workbook(path: Path) -> tuple[list[list[str]], str | None, str | None, str]:
    from openpyxl import load_workbook

    from .files import archive_problem

    problem = archive_problem(path)
    if problem:
        raise ResponsesError(f"{path}: cannot be read as a workbook: {problem}")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ResponsesError(f"{path}: cannot be read as a workbook ({type(error).__name__})") from None
    try:
        form_id = version = None
        if "about" in book.sheetnames:
            for row in book["about"].iter_rows(max_row=20, max_col=2, values_only=True):
                if row and row[0] == "form_id" and len(row) > 1 and row[1]:
                    form_id = str(row[1])
                if row and row[0] == "version" and len(row) > 1 and row[1]:
                    version = str(row[1])
        if not book.worksheets:
            raise ResponsesError(f"{path}: the workbook has no sheet")
        sheet = book["responses"] if "responses" in book.sheetnames else book.worksheets[0]
        table: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            table.append(["" if cell is None else _cell(cell) for cell in row])
            if len(table) > MAX_ROWS + 2:
                raise ResponsesError(f"{path}: more than {MAX_ROWS} rows; is it the right file?")
    except ResponsesError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl reads sheets lazily: a damaged one fails here
        raise ResponsesError(f"{path}: cannot be read as a workbook: a damaged sheet ({type(error).__name__})") from None
    finally:
        book.close()
    return table, form_id, version, sheet.title


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def question_names(form) -> set[str]:  # type: ignore[no-untyped-def]
    """The column names a form's answers come under (per-session copies share their stem)."""
    return {question.id.replace("-", "_") for question in form.questions()}


def _stem(column: str) -> str:
    """`knowledge_s2` and `objective_s1_o3` -> their question's name; `gender_other` -> `gender`."""
    column = re.sub(r"_s\d+(_o\d+)?$|_o\d+$", "", column)
    return column.removesuffix("_other")


def identify(table: ResponseTable, forms: dict) -> tuple[str | None, int]:  # type: ignore[type-arg]
    """The id of the form whose questions the file's columns match best, and how many of its
    questions have a column. A data-entry sheet's own declaration wins."""
    if table.form_id:
        declared = re.sub(r"_day_\d+$", "", table.form_id).replace("_", "-")
        for form_id, form in forms.items():
            if form_id.replace("_", "-") == declared:
                return form_id, len(question_names(form))
    columns = {_stem(column) for column in table.columns if column not in META_COLUMNS and not column.startswith("_")}
    best, best_score, best_matched = None, 0, 0
    for form_id, form in sorted(forms.items()):
        names = question_names(form)
        matched = len(columns & names)
        score = matched - len(columns - names)
        if matched and (best is None or score > best_score):
            best, best_score, best_matched = form_id, score, matched
    return best, best_matched


# ---------------------------------------------------------------------------- one form's answers
#
# `trainer evaluate` reads answers to every form the course prints: it needs to know which
# printed form (and, for the end-of-day form, which day) a file holds, which column answers
# which question whatever the tool called it, and whether each answer is one the form
# allows. Kobo's "labels" exports head a column with the question's text and write the
# answer's label ("Government", "5 (Fully)"), its "XML values" exports with `group/name` and
# codes; ODK Central joins groups with "-"; the data-entry sheet uses the bare names.

SUBMISSION_COLUMNS = ("_uuid", "instanceid", "meta/instanceid", "meta-instanceid", "key", "_submission__uuid")
"""Columns whose value identifies one submission across exports of the same form."""
VERSION_COLUMNS = ("__version__", "formversion", "version", "_version_")
TRUE_CELLS = {"1", "true", "yes", "x", "1.0"}


@dataclass(frozen=True)
class Layout:
    """One printed form as its answers come back: a form, or the end-of-day form of one day,
    with its questions named as `trainer build` exports them (render/forms.py `view`)."""

    key: str
    """The file stem `trainer build` gives it: `end-of-day-day-2`, `end-of-course`."""
    form: str
    """The form's id: `end-of-day`."""
    kind: str
    day: int | None
    title: str
    xls_id: str
    """The XLSForm form_id: `end_of_day_day_2`."""
    version: str
    questions: tuple[dict, ...]  # type: ignore[type-arg]
    other_labels: tuple[str, ...] = ("Please specify",)
    """What a Kobo labels export heads an "other, please specify" column with."""
    other_words: tuple[str, ...] = ("Other",)
    """What a labels export writes for the answer "other"."""

    def question(self, name: str) -> dict | None:  # type: ignore[type-arg]
        for question in self.questions:
            if question["name"] == name:
                return question
        return None


@dataclass(frozen=True)
class Column:
    """What one column of a file holds for a layout."""

    kind: str
    """`answer`, `other` (the text of "other, please specify"), `option` (Kobo's one column per
    option of a multiple-choice question, 1 or 0), `meta` (the tool's own), `unknown`."""
    name: str = ""
    option: str = ""


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _code(text: str) -> str:
    return str(text).strip().casefold().replace("_", "-")


def map_columns(table: ResponseTable, layout: Layout) -> list[Column]:
    """Which question each column of `table` answers under `layout`, in header order."""
    names = {question["name"]: question for question in layout.questions}
    labels = {_norm(question["text"]): question["name"] for question in layout.questions}
    other_labels = {_norm(label) for label in layout.other_labels}
    out: list[Column] = []
    previous: str | None = None
    for header in table.headers:
        column = _column(header, names, labels, other_labels, previous)
        if column.kind == "answer":
            previous = column.name
        out.append(column)
    return out


def _column(header: str, names: dict, labels: dict[str, str], other_labels: set[str], previous: str | None) -> Column:  # type: ignore[type-arg]
    text = header.strip()
    if not text:
        return Column("meta")
    folded = text.casefold()
    last = folded.rsplit("/", 1)[-1].rsplit("-", 1)[-1] if " " not in folded else ""
    if folded in META_COLUMNS or folded.startswith("_") or folded in SUBMISSION_COLUMNS or last in META_COLUMNS \
            or folded.startswith(("meta/", "meta-")):
        return Column("meta")
    # a question's text (Kobo labels export), maybe after its group's label and a "/"
    candidates = [text] + [text[index + 1:] for index, char in enumerate(text) if char == "/"]
    for candidate in candidates:
        key = _norm(candidate)
        if key in labels:
            return Column("answer", labels[key])
        if key in other_labels and previous and names[previous]["other"]:
            return Column("other", previous)
        for label, name in labels.items():
            question = names[name]
            if question["type"] == "multiple" and key.startswith(label + "/"):
                rest = key[len(label) + 1:]
                for option in question["options"]:
                    if _norm(option["label"]) == rest or _code(option["value"]) == _code(rest):
                        return Column("option", name, option["value"])
    if " " in text:
        return Column("unknown")
    # names: `section_1/sector` (Kobo), `section_1-sector` (ODK Central), `sector` (data entry)
    parts = folded.split("/")
    stems = [part.rsplit("-", 1)[-1] for part in parts]
    if stems[-1] in names:
        return Column("answer", stems[-1])
    if stems[-1].endswith("_other") and stems[-1][: -len("_other")] in names:
        return Column("other", stems[-1][: -len("_other")])
    if len(parts) >= 2 and stems[-2] in names and names[stems[-2]]["type"] == "multiple":
        for option in names[stems[-2]]["options"]:
            if _code(option["value"]) == _code(parts[-1]):
                return Column("option", stems[-2], option["value"])
        if _code(parts[-1]) == "other" and names[stems[-2]]["other"]:
            return Column("option", stems[-2], "other")
    return Column("unknown")


def match_score(table: ResponseTable, layout: Layout) -> tuple[int, int]:
    """(columns that answer one of the layout's questions, columns it does not know)."""
    columns = map_columns(table, layout)
    known = sum(1 for column in columns if column.kind in ("answer", "other", "option"))
    unknown = sum(1 for column in columns if column.kind == "unknown")
    return known, unknown


def _day_in(text: str) -> int | None:
    match = re.search(r"(?:day|jour|d[ií]a|yawm|день)[\s_-]*(\d{1,2})(?!\d)", text.casefold())
    return int(match.group(1)) if match else None


def identify_layout(table: ResponseTable, layouts: list[Layout]) -> Layout:
    """The printed form (and day) a file holds.

    What the file says of itself wins: a data-entry sheet's form_id, a form version column
    (Kobo's `__version__`, ODK's `FormVersion`) with one of the layouts' versions. Otherwise
    the layout whose questions the columns match best; between end-of-day forms of days that
    ask about the same sessions, a day named in the file or sheet name ("day-2").
    Raises ResponsesError when no layout fits or the day cannot be told.
    """
    path = table.path
    if table.form_id:
        for layout in layouts:
            if layout.xls_id == table.form_id.strip():
                return layout
    version_columns = [i for i, header in enumerate(table.headers) if column_name(header) in VERSION_COLUMNS]
    versions = {cells[i] for i in version_columns for _number, cells in table.cells if i < len(cells) and cells[i]}
    by_version = [layout for layout in layouts if layout.version in versions]
    if len(by_version) == 1:
        return by_version[0]
    scored = []
    for layout in layouts:
        known, unknown = match_score(table, layout)
        if known and known > unknown:
            scored.append((known - unknown, known, layout))
    if not scored:
        raise ResponsesError(
            f"{path}: no column answers a question of the course's forms, or most columns do not "
            f"(columns found: {', '.join(table.headers[:6]) or 'none'}); is it an export of one of its forms?"
        )
    best = max(score for score, _known, _layout in scored)
    top = [layout for score, _known, layout in scored if score == best]
    if len(top) == 1:
        return top[0]
    hints = [_day_in(text) for text in (path.stem, table.sheet or "", table.form_id or "") if text]
    for day in hints:
        for layout in top:
            if day is not None and layout.day == day:
                return layout
    if all(layout.day is not None for layout in top):
        days = ", ".join(str(layout.day) for layout in top)
        raise ResponsesError(
            f"{path}: its columns fit the end-of-day forms of days {days} equally well (they ask about the same "
            f"sessions); put the day in the file's name, for example '{top[0].key}.csv', so that trainer can tell which it holds"
        )
    raise ResponsesError(
        f"{path}: its columns fit several forms equally well ({', '.join(layout.title for layout in top)}): "
        "is it the export of one form, with its question columns?"
    )


@dataclass
class AnswerRow:
    """One respondent's answers to one printed form, checked against it."""

    path: Path
    row: int
    layout: str
    values: dict[str, object]
    """question name -> int (scale), str (single choice, text), list[str] (multiple choice),
    float (number); questions left blank are absent."""
    others: dict[str, str]
    """question name -> the text written under "other, please specify"."""
    submission: str | None = None
    """The collection tool's id of the submission, if the file has one."""
    respondent: str | None = None
    """The data-entry sheet's respondent number, if given."""


@dataclass
class BadRow:
    """A row that does not fit its form: left out whole, with every reason."""

    row: int
    submission: str | None
    problems: list[Problem]


def read_rows(table: ResponseTable, layout: Layout) -> tuple[list[AnswerRow], list[BadRow], list[str]]:
    """Every row of a file checked against the printed form it holds.

    Returns the good rows, the bad rows with a problem for each fault (file, row, column and
    what is wrong: a value outside the scale or not one of the answers, a required answer
    missing), and the columns the form does not know (reported once, their values ignored).
    A bad row is left out whole: its other answers are not used either.
    """
    columns = map_columns(table, layout)
    unknown = [table.headers[i] for i, column in enumerate(columns) if column.kind == "unknown"]
    answered = {column.name for column in columns if column.kind in ("answer", "option")}
    missing = [q["name"] for q in layout.questions if q["required"] and q["name"] not in answered]
    if missing and len(table.cells):
        raise ResponsesError(
            f"{table.path}: no column for the required question(s) {', '.join(missing[:5])} of "
            f"'{layout.title}'; is it the export of that form? None of its {len(table.cells)} row(s) was used"
        )
    submission_at = next((i for i, header in enumerate(table.headers) if header.strip().casefold() in SUBMISSION_COLUMNS
                          or header.strip().casefold().rsplit("/", 1)[-1] == "instanceid"), None)
    respondent_at = next((i for i, header in enumerate(table.headers) if header.strip().casefold() == "respondent"), None)
    good: list[AnswerRow] = []
    bad_rows: list[BadRow] = []
    for number, cells in table.cells:
        values: dict[str, object] = {}
        others: dict[str, str] = {}
        ticked: dict[str, list[str]] = {}
        bad: list[tuple[int, str]] = []
        for index, column in enumerate(columns):
            cell = cells[index] if index < len(cells) else ""
            if column.kind == "other" and cell:
                others[column.name] = cell
            elif column.kind == "option" and cell.strip().casefold() in TRUE_CELLS:
                ticked.setdefault(column.name, []).append(column.option)
            elif column.kind == "answer" and cell:
                question = layout.question(column.name)
                assert question is not None
                value, why = parse_answer(cell, question, layout)
                if why:
                    bad.append((index, f"row {number}, {column.name}: {why}"))
                else:
                    values[column.name] = value
        for name, options in ticked.items():
            values.setdefault(name, options)
        for question in layout.questions:
            if question["required"] and question["name"] not in values and not any(
                    message.startswith(f"row {number}, {question['name']}:") for _i, message in bad):
                at = next((i for i, column in enumerate(columns) if column.kind == "answer" and column.name == question["name"]), 0)
                bad.append((at, f"row {number}, {question['name']}: a required answer is missing"))
        submission = cells[submission_at].strip() if submission_at is not None and submission_at < len(cells) else ""
        if bad:
            bad_rows.append(BadRow(number, submission or None, [
                Problem(table.path, number, index + 1, message + "; the row is left out", "warning") for index, message in bad]))
            continue
        respondent = cells[respondent_at].strip() if respondent_at is not None and respondent_at < len(cells) else ""
        good.append(AnswerRow(table.path, number, layout.key, values, others, submission or None, respondent or None))
    return good, bad_rows, unknown


SCALE_CELL = re.compile(r"^\s*(-?\d+)(?:\.0*)?\s*(?:\(.*\))?\s*$")


def parse_answer(cell: str, question: dict, layout: Layout) -> tuple[object, str | None]:  # type: ignore[type-arg]
    """A cell's answer as the question's type holds it, or why it is not one the form allows."""
    kind = question["type"]
    shown = cell if len(cell) <= 30 else cell[:27] + "..."
    if kind == "scale":
        low, high = question["scale"]
        match = SCALE_CELL.match(cell)
        if not match:
            if re.match(r"^\s*-?\d+[.,]\d+\s*$", cell):
                return None, f"'{shown}' is not a whole number from {low} to {high}"
            return None, f"'{shown}' is not a number from {low} to {high}"
        value = int(match.group(1))
        if not low <= value <= high:
            return None, f"'{shown}' is outside the scale {low}-{high}"
        return value, None
    if kind in ("single", "multiple"):
        codes = {_code(option["value"]): option["value"] for option in question["options"]}
        by_label = {_norm(option["label"]): option["value"] for option in question["options"]}
        if question["other"]:
            codes["other"] = "other"
            for word in layout.other_words:
                by_label[_norm(word)] = "other"
        allowed = ", ".join([option["value"] for option in question["options"]] + (["other"] if question["other"] else []))
        if kind == "single":
            value = codes.get(_code(cell)) or by_label.get(_norm(cell))
            if value is None:
                return None, f"'{shown}' is not one of {allowed}"
            return value, None
        tokens = cell.replace(",", " ").replace(";", " ").split()
        if tokens and all(_code(token) in codes for token in tokens):
            return sorted({codes[_code(token)] for token in tokens}, key=list(codes.values()).index), None
        rest = _norm(cell)
        found = []
        for label in sorted(by_label, key=len, reverse=True):
            if label and label in rest:
                found.append(by_label[label])
                rest = rest.replace(label, " ")
        if found and not rest.strip(" ,;"):
            return sorted(set(found), key=list(codes.values()).index), None
        return None, f"'{shown}' is not a list of {allowed}"
    if kind == "number":
        try:
            number = float(cell.replace(",", "."))
        except ValueError:
            return None, f"'{shown}' is not a number"
        if number != number or abs(number) > 1e6:
            return None, f"'{shown}' is not a usable number"
        return number, None
    return cell, None
