"""Every fixed word of the documents is translated in every course language, with the same
placeholders, so that a French or Arabic course never prints an English label."""

from __future__ import annotations

import re

import pytest

from trainer.i18n import LOCALES, _catalogue
from trainer.messages import messages_in_use, missing

LANGUAGES = [code for code in LOCALES if code != "en"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_extractor_finds_the_documents_fixed_words():
    used = messages_in_use()
    for expected in ("Day {number}", "Lunch break", "Practice examples for this course", "If there is no projector"):
        assert expected in used


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    assert missing(language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    _catalogue.cache_clear()
    for message, translation in _catalogue(language).items():
        assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(message)), (language, message)
