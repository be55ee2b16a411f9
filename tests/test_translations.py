"""The interface speaks French and English: every message is translated, and the
compiled catalogues match their sources."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "bascule"
LOCALE = SRC / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_it_translates_every_french_message():
    po = catalogue("fr")
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not missing, f"{len(missing)} messages lack a French translation, e.g. {missing[:5]}"
    assert not fuzzy, f"fuzzy French translations to review: {fuzzy[:5]}"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_compiles_catalogues_that_match_their_sources(language):
    po = catalogue(language)
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    with mo_path.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    for entry in po.translated_entries():
        # gettext keys a message with a context (pgettext) as "context\x04msgid".
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert compiled.get((key, int(index))) == text, (
                    f"{mo_path} is stale for {entry.msgid!r}: run make messages"
                )
        else:
            assert compiled.get(key) == entry.msgstr, (
                f"{mo_path} is stale for {entry.msgid!r}: run make messages"
            )


def test_it_has_every_message_of_the_code_in_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: cannot extract messages")
    copy = tmp_path / "bascule"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "bascule.settings", "PATH": "/usr/bin:/bin", "BASCULE_DATA_DIR": str(tmp_path / "var")},
    )
    extracted = {(e.msgid, e.msgctxt) for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    known = {(e.msgid, e.msgctxt) for e in catalogue("fr") if not e.obsolete}
    new = sorted(m for m, _ in extracted - known)
    assert not new, f"{len(new)} messages are missing from the catalogue (run make messages), e.g. {new[:5]}"
