import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES"


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the code finds no msgid the committed catalogue lacks:
    a string added without a translation would show in English in the Swedish UI."""
    root = CATALOGUE.parents[2]
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (apt-get install gettext)")
    for name in ("audits", "recommendations", "regions", "tracker", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_DEBUG": "1", "VAR_DIR": str(tmp_path / "var")},
        check=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE / "django.po"))}
    missing = sorted(
        (e.msgctxt or "", e.msgid) for e in fresh if (e.msgctxt, e.msgid) not in committed
    )
    assert missing == [], "run makemessages and translate: " + repr(missing[:20])
