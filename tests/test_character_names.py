"""Every fictional character has a name of their own across the course (issue 13, point 6):
"Tomás" in the migrant stories and "Tomas" in the case study were two different people.

The test lists the character names in each handout and activity of the library (a name in
bold followed by a comma, a name followed by an age, a story's heading) and fails when two
names are near-duplicates (the same after removing accents and case, or within a quarter of
their length in edit distance), or when one name stands for characters of two different
fictions. Handouts and activities belong to the same fiction when an activity uses them
together (the case study and its answer sheet; the Liberto brief and its instructions).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

from trainer.loader import read_course

BOLD = re.compile(r"\*\*([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})\*\*,")
AGED = re.compile(r"(?<![\w*])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?), (\d{1,3})[,;:)]")
STORY = re.compile(r"STORY \d+ \(FICTION\): ([A-Z][A-Z'’-]+)")
PLACE = r"\b(?:in|from|into|across)\s+{name}\b"
NOT_PEOPLE = {"works", "construction", "road", "passage", "centre", "network", "association", "circle", "council",
              "ministry", "fund", "committee", "commission", "inquiries", "union"}
"""Last words that mark a fictional organisation or place, not a person."""


def characters(text: str) -> set[str]:
    """The character names a piece of content introduces."""
    found = {m.group(1) for m in BOLD.finditer(text)} | {m.group(1) for m in AGED.finditer(text)}
    found |= {m.group(1).title() for m in STORY.finditer(text)}
    out = set()
    for name in found:
        words = name.split()
        if any(len(part) > 1 and part.isupper() for word in words for part in word.split("-")) or words[-1].lower() in NOT_PEOPLE:
            continue  # IOM, UNICEF; Brightstone Works
        if re.search(PLACE.format(name=re.escape(name)), text, re.I):
            continue  # "in Marvania", "from Estoria": a place
        if re.search(r"\b(?:Session|Part|Module|Article|Articles|Statements?|Scenario|Story|Day)\b", name):
            continue
        out.add(name)
    return out


def plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def near(a: str, b: str) -> bool:
    """Names a reader could take for one another: the same without accents and case, or
    within a quarter of their length in edit distance."""
    x, y = plain(a), plain(b)
    return x == y or distance(x, y) <= max(len(x), len(y)) // 4


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return ""


def cast() -> tuple[dict[str, set[str]], dict[str, str]]:
    """(names per handout or activity, the fiction each belongs to)."""
    course_input, _problems = read_course(None)
    library = course_input.library
    names: dict[str, set[str]] = {}
    for handout in library.handouts.values():
        names[f"handouts/{handout.id}"] = characters(handout.body)
    for activity in library.activities.values():
        names[f"activities/{activity.id}"] = characters(_text(activity.model_dump(exclude={"sources"})))
    # one fiction: the handouts an activity uses together, and the activity itself
    world = {key: key for key in names}

    def find(key: str) -> str:
        while world[key] != key:
            key = world[key]
        return key

    for activity in library.activities.values():
        for use in activity.handouts:
            if f"handouts/{use.handout}" in world:
                world[find(f"handouts/{use.handout}")] = find(f"activities/{activity.id}")
    return names, {key: find(key) for key in names}


def test_the_fiction_has_characters_to_check():
    names, _world = cast()
    assert {"Amina", "Daniel"} <= names["handouts/case-study"]
    assert {"Nadia", "Kai"} <= names["handouts/migrant-stories"]
    assert len(names["handouts/liberto-country-brief"]) >= 3


def test_near_duplicates_are_found():
    assert near("Tomás", "Tomas") and near("Amina", "Amira") and not near("Amina", "Arturo")
    assert characters("**Tomás**, 40, works. Later **Safe Passage**, a group in Marvania, helps. **Marvania**, a country.") == {"Tomás"}


def test_every_character_has_a_distinct_name():
    names, world = cast()
    listing = "\n".join(f"{key}: {', '.join(sorted(found))}" for key, found in sorted(names.items()) if found)
    people = sorted({(name, key) for key, found in names.items() for name in found})
    clashes = []
    for (a, where_a), (b, where_b) in combinations(people, 2):
        same_fiction = world[where_a] == world[where_b]
        if a == b and same_fiction:
            continue  # the same character, in the case study and its answer sheet
        first_a, first_b = a.split()[0], b.split()[0]
        if near(a, b) or near(first_a, first_b):
            clashes.append(f"{a} ({where_a}) and {b} ({where_b})")
    assert not clashes, "near-duplicate names:\n" + "\n".join(sorted(set(clashes))) + "\n\nnames per item:\n" + listing
