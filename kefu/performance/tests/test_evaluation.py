"""The supervisor's inputs to the evaluation: part scores (S4.5) checked against the policy's
maximums, the return-visit part from the buyers app's survey, and warnings recorded per
agent and month, read by later closes (S4.5: three warnings, a dismissal recommendation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.buyers.choices import VisitStatus
from kefu.buyers.models import ReturnVisit
from kefu.conversations.models import Buyer
from kefu.core.errors import InvalidInput
from kefu.core.tests.factories import AgentFactory
from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.evaluation import part_scores_set, warning_issue
from kefu.performance.models import AgentWarning, PartScore, Recommendation
from kefu.performance.services import recommendation_decide
from kefu.performance.tests.db import OCTOBER, team
from kefu.performance.tests.support import local
from kefu.policy.selectors import policy_in_force

pytestmark = pytest.mark.django_db
OCT = Month.parse(OCTOBER)


def test_part_scores_are_checked_against_the_parts_of_the_policy() -> None:
    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    with pytest.raises(InvalidInput) as caught:
        part_scores_set(
            shop=t.shop,
            agent=xiaomei,
            month=OCT,
            scores={"team_task": Decimal("28"), "competence": Decimal("21")},
            acting_user=t.supervisor,
        )
    assert caught.value.message == "小美的「业务素质和能力」须在 0 到 20 分之间，收到 21"
    with pytest.raises(InvalidInput, match="未知的考评项：teamwork"):
        part_scores_set(
            shop=t.shop,
            agent=xiaomei,
            month=OCT,
            scores={"teamwork": Decimal("1")},
            acting_user=t.supervisor,
        )
    assert PartScore.objects.count() == 0  # all or nothing
    stranger = AgentFactory(agency=t.shop.agency, name="外人")
    with pytest.raises(InvalidInput, match="不在店铺"):
        part_scores_set(shop=t.shop, agent=stranger, month=OCT, scores={}, acting_user=t.supervisor)
    ten = team("pdd-s3")
    with pytest.raises(InvalidInput, match="不是百分制考评"):
        part_scores_set(
            shop=ten.shop,
            agent=ten.agents[0],
            month=OCT,
            scores={"team_task": Decimal("1")},
            acting_user=ten.supervisor,
        )


def test_the_close_uses_the_form_and_the_return_visit_survey() -> None:
    t = team("taobao-s4-points")
    xiaomei, xiaoli = t.agents
    part_scores_set(
        shop=t.shop,
        agent=xiaomei,
        month=OCT,
        scores={"team_task": Decimal("27.5"), "return_visit": Decimal("10")},
        acting_user=t.supervisor,
    )
    buyer = Buyer.objects.create(shop=t.shop, nickname="回访买家")
    for day, score in ((3, 5), (4, 4)):  # 小美's visits: average 4.5 of 5
        ReturnVisit.objects.create(
            shop=t.shop,
            buyer=buyer,
            due_on=dt.date(2026, 10, day),
            agent=xiaomei,
            status=VisitStatus.DONE,
            satisfaction=score,
            done_at=local(dt.date(2026, 10, day), "15:00"),
        )
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    # team task 27.5 (form) + handover 20 + return visit 4.5 / 5 x 30 = 27 (survey, over the
    # form's 10) + competence 20 + 5 (S4.5 加分5, no valid complaint) = 99.5.
    assert close.summary[str(xiaomei.pk)]["score"] == "99.50"
    assert "客户回访满意度27 + " in close.summary[str(xiaomei.pk)]["score_explanation"]
    assert close.summary[str(xiaoli.pk)]["score"] == "105"


def test_three_warnings_raise_a_dismissal_recommendation() -> None:
    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    for month, day in (("2026-08", dt.date(2026, 8, 20)), ("2026-09", dt.date(2026, 9, 20))):
        warning_issue(
            shop=t.shop, agent=xiaomei, on=day, note="上班玩游戏", acting_user=t.supervisor
        )
        month_close(shop=t.shop, month=month, acting_user=t.supervisor)
    assert not Recommendation.objects.filter(consequence="dismissal").exists()
    warning_issue(
        shop=t.shop, agent=xiaomei, on=dt.date(2026, 10, 9), note="顶撞顾客", acting_user=None
    )
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    dismissal = Recommendation.objects.get(consequence="dismissal")
    assert (dismissal.close, dismissal.agent, dismissal.clause) == (
        close,
        xiaomei,
        "S4.5 (二)(2)(e) 连续3次警告处分",
    )
    assert close.summary[str(xiaomei.pk)]["warnings_issued"] == 1


def test_accepting_a_warning_recommendation_records_the_warning() -> None:
    t = team("pdd-s3")  # S3: ten points a month, a warning at 5 or below
    xiaomei = t.agents[0]
    rec = Recommendation.objects.create(
        shop=t.shop,
        close=month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor),
        agent=xiaomei,
        month=OCTOBER,
        policy_version=policy_in_force(shop=t.shop, on=OCT.last_day).version,
        clause="S3 §3",
        rule="points.thresholds.warning_at_or_below",
        explanation="本月积分5分，不高于5分：建议警告处分",
        consequence="warning",
        label="警告处分",
    )
    recommendation_decide(shop=t.shop, recommendation=rec, accept=True, acting_user=t.supervisor)
    warning = AgentWarning.objects.get()
    assert (warning.agent, warning.recommendation, warning.note) == (
        xiaomei,
        rec,
        "本月积分5分，不高于5分：建议警告处分",
    )
    assert warning.month == str(Month.of(warning.issued_on))


def test_the_evaluation_page_saves_scores_and_warnings() -> None:
    from django.test import Client
    from django.urls import reverse

    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    client = Client()
    client.force_login(t.supervisor)
    page = reverse("performance:evaluation", kwargs={"shop_id": t.shop.pk})
    assert client.get(f"{page}?month={OCTOBER}").status_code == 200
    save = reverse("performance:scores_save", kwargs={"shop_id": t.shop.pk})
    client.post(
        save,
        {"agent": xiaomei.pk, "month": OCTOBER, "part_team_task": "26", "part_competence": ""},
    )
    assert list(PartScore.objects.values_list("agent__name", "month", "part", "score")) == [
        ("小美", OCTOBER, "team_task", Decimal("26.00"))
    ]
    refused = client.post(
        save, {"agent": xiaomei.pk, "month": OCTOBER, "part_team_task": "31"}, follow=True
    )
    assert "须在 0 到 30 分之间，收到 31" in refused.content.decode()
    assert PartScore.objects.get().score == Decimal("26.00")
    warn = reverse("performance:warning_add", kwargs={"shop_id": t.shop.pk})
    shown = client.post(
        warn, {"agent": xiaomei.pk, "on": "2026-10-09", "note": "顶撞顾客"}, follow=True
    ).content.decode()
    assert list(AgentWarning.objects.values_list("agent__name", "month", "note")) == [
        ("小美", OCTOBER, "顶撞顾客")
    ]
    assert "顶撞顾客" in shown


def test_the_evaluation_page_shows_the_total_and_the_fine_under_60() -> None:
    # 小美: 15 + 10 + 15 + 10 = 50 entered, + 5 (加分5, no valid complaint) = 55 < 60: fails,
    # 100 yuan (S4.5 (二)(2)(e)). 小丽 has nothing entered: 100 + 5 = 105.
    from django.test import Client
    from django.urls import reverse

    t = team("taobao-s4-points")
    xiaomei = t.agents[0]
    part_scores_set(
        shop=t.shop,
        agent=xiaomei,
        month=OCT,
        scores={
            "team_task": Decimal(15),
            "handover_and_work": Decimal(10),
            "return_visit": Decimal(15),
            "competence": Decimal(10),
        },
        acting_user=t.supervisor,
    )
    client = Client()
    client.force_login(t.supervisor)
    page = reverse("performance:evaluation", kwargs={"shop_id": t.shop.pk})
    html = client.get(f"{page}?month={OCTOBER}").content.decode()
    assert html.count('data-testid="parts-total">50<') == 1
    assert html.count('data-testid="parts-total">100<') == 1
    assert "本月考评分55分，不达60分：罚款¥100（S4.5 (二)(2)(e) 考核分不达60分扣100元/月）" in html
    assert html.count("不及格</span>") == 1
