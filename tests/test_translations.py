"""Malayalam is a whole language of the portal, not a half-translated one."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale/ml/LC_MESSAGES/django.po"


def entries() -> list[str]:
    return CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # after the header


def test_every_string_in_the_catalogue_has_a_malayalam_translation():
    untranslated = [
        entry
        for entry in entries()
        if re.search(r'^msgstr(\[\d\])? ""\n?$', entry, re.MULTILINE)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', entry, re.MULTILINE)
    ]
    assert untranslated == []


def test_no_translation_is_a_fuzzy_guess():
    assert [entry for entry in entries() if "#, fuzzy" in entry] == []


def test_a_domain_error_reads_in_malayalam():
    from bookings.errors import SeatTaken

    with translation.override("ml"):
        message = str(SeatTaken().message)

    assert message != "Sorry, that seat was just taken. Please pick another one."
    assert re.search("[\u0d00-\u0d7f]", message)  # the Malayalam block
