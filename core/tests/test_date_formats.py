"""One date format per language, used everywhere (issue 16, item 25): the named formats give 2026-03-02 09:05 in both
languages, and no template writes a date in a format of its own (machine values in attributes excepted)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

MOMENT = datetime(2026, 3, 2, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_named_formats_give_the_house_format_in_both_languages(language):
    template = Template('{{ d|date:"SHORT_DATETIME_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATETIME_FORMAT" }}'
                        '|{{ day }}')
    with translation.override(language):
        text = template.render(Context({"d": MOMENT, "day": MOMENT.date()}))
    assert text == "2026-03-02 09:05|2026-03-02|2026-03-02 09:05|2026-03-02"


def test_no_template_shows_a_date_in_a_format_of_its_own():
    """Shown dates use the named formats; an explicit ISO format is only for machine values inside a tag."""
    explicit = re.compile(r"""\|date:(["'])(Y-m-d H:i|Y-m-d|Y/m/d|Y-m|n/j|Y年)""")
    found = []
    root = Path(settings.BASE_DIR)
    for path in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in explicit.finditer(text):
            before = text[:m.start()]
            if before.rfind("<") > before.rfind(">"):  # inside a tag: a value for a form field or a link
                continue
            found.append(f"{path.relative_to(settings.BASE_DIR)}:{text.count(chr(10), 0, m.start()) + 1}")
    assert found == []
