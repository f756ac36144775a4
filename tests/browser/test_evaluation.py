"""The S4.5 monthly evaluation page 考评录入 in a real browser: the supervisor enters an agent's
part scores, saves, and sees the parts' total, the month's score (parts plus the month's
additions and deductions), and what a score under 60 costs: 100 yuan, and with a second
failing month in a row, the dismissal recommendation. Screenshot in zh-Hans."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.evaluation import part_scores_set
from kefu.performance.models import PartScore
from kefu.web.tests import scenario
from tests.browser.plugin import assert_clean, assert_styled, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(transactional_db, monkeypatch: pytest.MonkeyPatch) -> scenario.Scenario:
    scenario.freeze_now(monkeypatch)
    return scenario.build()


def sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_supervisor_enters_part_scores_and_sees_the_total_and_the_consequence(
    page: Page, live_server, team: scenario.Scenario
) -> None:
    shop, xiaomei = team.shop, team.agents["王小美"]
    # September already failed: 王小美 scored 10 + 10 + 15 + 10 = 45, + 5 (加分5, no valid
    # complaint) = 50 < 60, and the month is closed.
    part_scores_set(
        shop=shop,
        agent=xiaomei,
        month=Month.parse("2026-09"),
        scores={
            "team_task": Decimal(10),
            "handover_and_work": Decimal(10),
            "return_visit": Decimal(15),
            "competence": Decimal(10),
        },
        acting_user=team.supervisor,
    )
    month_close(shop=shop, month="2026-09", acting_user=team.supervisor)

    sign_in(page, live_server, team.supervisor)
    page.goto(f"/s/{shop.pk}/performance/evaluation/?month=2026-10")
    expect(page.get_by_role("heading", name="考评录入 · 2026年10月")).to_be_visible()
    assert_styled(page)
    table = page.get_by_test_id("part-scores")
    row = table.locator("tr", has_text="王小美")
    # Nothing entered yet: every part at full marks, 100 + 5 = 105.
    expect(row.get_by_test_id("parts-total")).to_have_text("100")
    expect(row.get_by_test_id("score")).to_contain_text("105")

    # October: team task 20 of 30, handover and work 8 of 20, return visit 14 of 30,
    # competence 10 of 20 = 52; + 5 = 57, under 60.
    for part, value in (
        ("team_task", "20"),
        ("handover_and_work", "8"),
        ("return_visit", "14"),
        ("competence", "10"),
    ):
        row.locator(f'input[name="part_{part}"]').fill(value)
    row.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存王小美的2026年10月考评分项")

    row = page.get_by_test_id("part-scores").locator("tr", has_text="王小美")
    expect(row.get_by_test_id("parts-total")).to_have_text("52")
    score = row.get_by_test_id("score")
    expect(score).to_contain_text("57")
    expect(score).to_contain_text("不及格")
    expect(row.get_by_test_id("below")).to_have_text(
        "本月考评分57分，不达60分：罚款¥100（S4.5 (二)(2)(e) 考核分不达60分扣100元/月）"
    )
    expect(row.get_by_test_id("consequence")).to_have_text(
        "待主管决定连续2个月考评不及格：建议辞退（S4.5 (二)(2)(e) 连续2个月综合考评不及格）"
    )
    # The value saved is shown as entered (20, not 20.00).
    expect(row.locator('input[name="part_team_task"]')).to_have_value("20")
    # The other agents keep full marks and no consequence.
    other = page.get_by_test_id("part-scores").locator("tr", has_text="赵强")
    expect(other.get_by_test_id("score")).to_contain_text("105")
    expect(other.get_by_test_id("below")).to_have_count(0)
    assert PartScore.objects.filter(agent=xiaomei, month="2026-10").count() == 4
    shot(page, "evaluation-zh")
    assert_clean(page)
