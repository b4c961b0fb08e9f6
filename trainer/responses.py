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
import io
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TrainerError

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
    form_id = None
    skip_labels = False
    if suffix == ".csv":
        from .files import UnsafeFile, read_bytes

        try:
            text = read_bytes(path, MAX_ANSWERS_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ResponsesError(f"{path}: not UTF-8 text; export the CSV as UTF-8") from None
        except UnsafeFile as error:
            raise ResponsesError(str(error)) from None
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
        table, form_id = _read_workbook(path)
        skip_labels = form_id is not None
    else:
        raise ResponsesError(f"{path}: expected a .csv or .xlsx file of questionnaire answers")
    if not table:
        raise ResponsesError(f"{path}: the file is empty")
    header = [column_name(name) for name in table[0]][:MAX_COLUMNS]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if skip_labels and number == 2:
            continue  # the data-entry sheet's row of question texts
        if not any(str(cell).strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ResponsesError(f"{path}: more than {MAX_ROWS} rows; is it the right file?")
        rows.append((number, {name: (str(cells[i]).strip() if i < len(cells) else "") for i, name in enumerate(header) if name}))
    return ResponseTable(path, [name for name in header if name], rows, form_id)


def _read_workbook(path: Path) -> tuple[list[list[str]], str | None]:
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
        form_id = None
        if "about" in book.sheetnames:
            for row in book["about"].iter_rows(max_row=20, max_col=2, values_only=True):
                if row and row[0] == "form_id" and len(row) > 1 and row[1]:
                    form_id = str(row[1])
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
    return table, form_id


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
