"""The zh_Hans catalogues are complete: nothing untranslated or fuzzy, and nothing in the code left out."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings

from core.i18n_tools import po_files


def test_every_catalogue_is_fully_translated():
    files = po_files()
    assert files, "no zh_Hans catalogue found"
    problems = {}
    for path in files:
        po = polib.pofile(str(path))
        bad = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
        if bad:
            problems[str(path)] = bad[:10]
    assert not problems


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogues_hold_every_string_in_the_code():
    base = Path(settings.BASE_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", "node_modules", "*.sqlite3"))
        result = subprocess.run(
            [sys.executable, "manage.py", "update_catalogues"],
            cwd=copy, capture_output=True, text=True, timeout=300,
            env={**os.environ, "AFTERSALES_TESTING": "1", "DEBUG": "1", "DATABASE_URL": ""},
        )
        assert result.returncode == 0, result.stderr
        missing = {}
        for path in po_files():
            fresh = polib.pofile(str(copy / path.relative_to(base)))
            committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
            new = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed]
            if new:
                missing[str(path.relative_to(base))] = new[:15]
        assert not missing, f"strings missing from the catalogues (run manage.py update_catalogues): {missing}"


def test_words_with_two_meanings_keep_them_apart():
    """Every app's catalogue is merged into one: a bare msgid translated two ways in two apps shows one of them
    everywhere (the cashier's 找零 printed as 修改, the dashboard's date 至 as 收件人). Such words carry a context."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.pgettext("cash", "Change") == "找零"
        assert translation.pgettext("cash", "change") == "找零"
        assert translation.gettext("Change") == "修改"
        assert translation.gettext("To") == "至"
        assert translation.pgettext("message recipient", "To") == "收件人"
        assert translation.gettext("Note") == "备注"
        assert translation.pgettext("walk-around remark", "Note") == "异常"
        assert translation.pgettext("loaner booking", "booked") == "已预订"
