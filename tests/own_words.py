"""Passages of 12 or more consecutive words that the library shares with the training guide.

The project's content must be in its own words (README, "Content"): a passage of 12 or more
words taken from the guide is allowed only as a marked quotation, that is, in quotation
marks (“…”, "…" or «…») followed in the same text by a page reference such as
"(HR/P/PT/26, p. 12)" or "(guide, p. 12)". Titles of documents, names and URLs are not
prose and are not checked (fields listed in SKIPPED_FIELDS).

Run it as a script to list the unmarked runs per file:

    python tests/own_words.py [FILE ...]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = next(
    (p / "shared" / "seeds" / "004_6b4e4fdb43d7d8d2.txt" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
    ROOT.parent / "shared" / "seeds" / "004_6b4e4fdb43d7d8d2.txt",
)
RUN = 12
"""The shortest shared passage that counts as copied."""
CONTENT = ("modules", "activities", "handouts", "forms", "diagrams")
SKIPPED_FIELDS = {"sources", "url", "additional_resources", "id", "ids", "title"}
"""Fields that hold references and names, not prose: titles (the guide's row titles are kept
word for word so that the plan can be compared with the guide), symbols, links."""

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_QUOTE = re.compile(r"[“\"«]([^”\"»]{20,}?)[”\"»]")
_CITED = re.compile(r"^\W{0,4}\(?[^()\n]{0,40}\bp(?:p)?\.\s*\d")


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?:https?://|www\.)\S+", " link0 ", text)  # a link breaks a run
    return _WORD.findall(text)


def guide_grams(path: Path = GUIDE, n: int = RUN) -> set[tuple[str, ...]]:
    tokens = words(path.read_text(encoding="utf-8"))
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@dataclass
class Run:
    file: str
    field: str
    words: int
    text: str


def _strings(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if str(key) in SKIPPED_FIELDS:
                continue
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{path}[{index + 1}]")


def _unquoted(text: str) -> str:
    """The text with its marked quotations (quoted and followed by a page reference) blanked."""
    out = text
    for match in _QUOTE.finditer(text):
        if _CITED.match(text[match.end() : match.end() + 60]):
            out = out.replace(match.group(0), " ¶ ")
    return out


def shared_runs(text: str, grams: set[tuple[str, ...]], n: int = RUN) -> list[tuple[int, str]]:
    """(length in words, words) of each maximal run of n+ words shared with the guide."""
    tokens: list[str] = []
    for chunk in _unquoted(text).split(" ¶ "):
        tokens.extend(words(chunk))
        tokens.append("¶")  # a quotation breaks a run
    hits = [i for i in range(len(tokens) - n + 1) if tuple(tokens[i : i + n]) in grams]
    runs: list[tuple[int, str]] = []
    start = end = None
    for i in hits:
        if start is not None and end is not None and i <= end:
            end = i + n
        else:
            if start is not None and end is not None:
                runs.append((end - start, " ".join(tokens[start:end])))
            start, end = i, i + n
    if start is not None and end is not None:
        runs.append((end - start, " ".join(tokens[start:end])))
    return runs


def library_runs(files: list[Path] | None = None) -> list[Run]:
    grams = guide_grams()
    if files is None:
        files = sorted(p for folder in CONTENT for p in (ROOT / folder).rglob("*.yaml"))
    out: list[Run] = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for field, text in _strings(data):
            for length, passage in shared_runs(text, grams):
                out.append(Run(str(file.relative_to(ROOT)), field, length, passage))
    return out


if __name__ == "__main__":
    chosen = [Path(a).resolve() for a in sys.argv[1:]] or None
    found = library_runs(chosen)
    for run in found:
        print(f"{run.file}: {run.field}: {run.words} words: {run.text}")
    by_file: dict[str, int] = {}
    for run in found:
        by_file[run.file] = by_file.get(run.file, 0) + 1
    for file, count in sorted(by_file.items()):
        print(f"{count:4d}  {file}", file=sys.stderr)
    print(f"{len(found)} unmarked run(s) of {RUN}+ words shared with the guide", file=sys.stderr)
