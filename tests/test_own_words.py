"""The library is written in the project's own words: no passage of 12 or more consecutive
words of the training guide, unless it is a quotation marked with its page."""

from __future__ import annotations

import pytest

from own_words import GUIDE, library_runs, shared_runs, guide_grams

pytestmark = pytest.mark.skipif(not GUIDE.is_file(), reason="the training guide (../shared/seeds) is not beside the project")


def test_no_unmarked_passage_of_twelve_words_from_the_guide():
    runs = library_runs()
    assert runs == [], "\n".join(f"{r.file}: {r.field}: {r.words} words: {r.text}" for r in runs[:20])


def test_the_check_finds_a_copied_passage_and_accepts_a_marked_quotation():
    grams = guide_grams()
    # a sentence of the guide's introduction to the evaluation cycle, copied
    copied = next(iter(grams))
    text = " ".join(copied)
    assert shared_runs(f"As the guide says, {text}, and so on.", grams)
    assert shared_runs(f'As the guide says, "{text}" (HR/P/PT/26, p. 5), and so on.', grams) == []
    assert shared_runs(f'As the guide says, "{text}", and so on.', grams), "a quotation needs its page"
