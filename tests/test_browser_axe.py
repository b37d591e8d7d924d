"""axe-core in Chromium over the landing page of every position: no serious or critical accessibility finding.

axe runs inside the page through the DevTools protocol (``page.evaluate``), which the Content-Security-Policy does not
govern, so nothing about the pages is relaxed for the test. axe-core is vendored in tests/vendor/axe-core/."""

from __future__ import annotations

from pathlib import Path

import pytest

from org.factories import RegionFactory, StaffFactory
from org.tests.access import EVERYONE, GROUP_POSITIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
  }));
}"""


def axe_findings(page) -> list[dict]:
    page.evaluate(AXE)
    return page.evaluate(RUN)


@pytest.mark.parametrize("position", sorted(EVERYONE))
def test_the_landing_page_of_every_position_has_no_serious_accessibility_finding(
    position, browser_page, browser_login, station
):
    page = browser_page
    region = None
    if position == "regional_manager":
        region = RegionFactory(group=station.group)
        station.region = region
        station.save(update_fields=["region"])
    user = StaffFactory(position=position, username=f"axe-{position}", group=station.group, region=region,
                        station=None if position in GROUP_POSITIONS else station)
    browser_login(page, user)
    findings = []
    for language in ("zh-hans", "en"):
        page.locator(f"form[action='/i18n/setlang/'] button[value='{language}']").first.click()
        page.wait_for_load_state("networkidle")
        findings += [dict(f, page=page.url, language=language) for f in axe_findings(page)]
        if page.locator("h1").count() != 1:
            findings.append({"id": "one h1", "page": page.url, "h1": page.locator("h1").all_inner_texts()})
    assert not findings, "\n".join(str(f) for f in findings)
