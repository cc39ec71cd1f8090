"""Malayalam is a whole language of the portal, not a half-translated one."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.utils import translation

from tests import ROOT_DIR
from tests.support.i18n_catalogue import PoEntry, po_entries

CATALOGUE = ROOT_DIR / "locale/ml/LC_MESSAGES/django.po"


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
    from bookings.core.errors import SeatTaken

    with translation.override("ml"):
        message = str(SeatTaken().message)

    assert message != "Sorry, that seat was just taken. Please pick another one."
    assert re.search("[\u0d00-\u0d7f]", message)  # the Malayalam block


# -- the catalogue against the code: what makemessages finds today ---------------------------

ROOT = CATALOGUE.parents[3]
# Not the project's source: makemessages would read them (or skips dot-folders itself).
NOT_SOURCE = shutil.ignore_patterns(
    ".*", "__pycache__", "*.mo", "locale", "var", "var-notes", "staticfiles", "node_modules",
    "test-artifacts",
)  # fmt: skip


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str, str], PoEntry]:
    """Every string the code and templates ask to translate, as `make messages`' makemessages
    finds it (the catalogue's header says how it is run), on a copy of the project, so the
    committed catalogue is never touched. About 3 seconds."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        reason = "needs gettext's xgettext and msgmerge (apt-get install gettext)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but this test {reason}")
        pytest.skip(reason)
    copy = tmp_path_factory.mktemp("makemessages") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    (copy / "locale").mkdir()  # empty: every string comes out new, none merged or fuzzy
    subprocess.run(  # noqa: S603 - our own manage.py and arguments
        [sys.executable, "manage.py", "makemessages", "-l", "ml", "--ignore=.venv"]
        + ["--add-location=file", "-v0"],
        cwd=copy,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        check=True,
        timeout=120,
    )
    found = po_entries(copy / "locale/ml/LC_MESSAGES/django.po")
    assert len(found) > 300  # the extraction ran over the whole project, not an empty copy
    return {entry.key: entry for entry in found}


def test_every_string_the_code_asks_to_translate_is_in_the_catalogue(extracted):
    catalogue = {entry.key: entry for entry in po_entries(CATALOGUE)}
    missing = [
        f"{' '.join(entry.files)}: {entry.msgid!r}"
        for key, entry in extracted.items()
        if key not in catalogue
        or not all(catalogue[key].translations)
        or "fuzzy" in catalogue[key].flags
    ]
    assert missing == [], (
        "Run makemessages (see the catalogue's header) and translate these in "
        f"locale/ml/LC_MESSAGES/django.po: {missing}"
    )


def test_no_entry_of_the_catalogue_is_a_string_our_code_no_longer_has(extracted):
    """Entries placed in allauth's templates are ours on purpose (allauth's pages render in
    Malayalam from our catalogue); an entry placed in our own files must still be there."""
    stale = [
        f"{' '.join(entry.files)}: {entry.msgid!r}"
        for entry in po_entries(CATALOGUE)
        if entry.files
        and not any(place.startswith("allauth/") for place in entry.files)
        and entry.key not in extracted
    ]
    assert stale == []
