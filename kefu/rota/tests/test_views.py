"""Roster pages: what a supervisor and an agent see and may do."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from kefu.rota.choices import RequestKind, RequestStatus, RosterStatus
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.request_services import request_submit
from kefu.rota.services import roster_publish
from kefu.rota.tests.helpers import cells, freeze, generate, team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)  # 2026-10-20 10:00 in Shanghai


@pytest.fixture
def huey_immediate() -> Iterator[Any]:
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = previous


def url(shop, name="", **kwargs):  # type: ignore[no-untyped-def]
    base = f"/s/{shop.pk}/rota/"
    return base + name


def test_supervisor_generates_in_a_worker_and_polls(shop, supervisor, huey_immediate) -> None:  # type: ignore[no-untyped-def]
    team(shop, 3)
    response = supervisor.post(url(shop, "generate/"), {"month": "2026-11"})
    assert response.status_code == 302
    assert response["Location"] == url(shop) + "?month=2026-11"
    roster = Roster.objects.get(shop=shop, month="2026-11")
    assert roster.solver_status in ("OPTIMAL", "FEASIBLE")
    status = supervisor.get(url(shop, f"{roster.pk}/status/"))
    assert status.status_code == 200
    assert status["HX-Refresh"] == "true"

    page = supervisor.get(url(shop) + "?month=2026-11")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="roster-grid"' in html
    assert 'data-testid="roster-publish"' in html
    assert "草稿（客服看不到）" in html
    verdict = {"OPTIMAL": "求解 最优解", "FEASIBLE": "求解 可行解（未证明最优）"}
    assert verdict[roster.solver_status] in html
    assert f"求解 {roster.solver_status}" not in html
    # 3 agents with 27 shifts each; the holiday-free November has no red days.
    assert html.count('data-shift="early"') + html.count('data-shift="late"') == 3 * 27


def test_running_roster_shows_the_poller(shop, supervisor) -> None:  # type: ignore[no-untyped-def]
    from kefu.rota.services import roster_generation_start

    roster = roster_generation_start(shop=shop, month="2026-11", acting_user=None)
    page = supervisor.get(url(shop) + "?month=2026-11").content.decode()
    assert f'hx-get="/s/{shop.pk}/rota/{roster.pk}/status/"' in page
    status = supervisor.get(url(shop, f"{roster.pk}/status/"))
    assert "HX-Refresh" not in status


def test_agent_sees_only_published_rosters(shop, agent, agent_client) -> None:  # type: ignore[no-untyped-def]
    team(shop, 3)
    roster = generate(shop)
    page = agent_client.get(url(shop) + "?month=2026-11").content.decode()
    assert 'data-testid="roster-unpublished"' in page
    assert 'data-testid="roster-grid"' not in page
    assert agent_client.get(url(shop, f"{roster.pk}/export.xlsx")).status_code == 404
    assert agent_client.post(url(shop, "generate/"), {"month": "2026-11"}).status_code == 403
    assert agent_client.post(url(shop, f"{roster.pk}/publish/")).status_code == 403

    roster_publish(shop=shop, roster=roster, acting_user=None)
    page = agent_client.get(url(shop) + "?month=2026-11").content.decode()
    assert 'data-testid="roster-grid"' in page
    assert 'data-testid="roster-publish"' not in page
    assert 'data-testid="roster-generate"' not in page
    assert "hx-get" not in page.split('data-testid="roster-grid"')[1]  # cells are not editable


def test_cell_edit_via_htmx_shows_what_broke(shop, supervisor) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    grid = cells(roster)
    agent = agents[0]
    day = next(d for (a, d) in sorted(grid, key=lambda k: k[1]) if a == agent.id)
    editor = supervisor.get(
        url(shop, f"{roster.pk}/cell/"), {"agent": agent.pk, "day": day.isoformat()}
    )
    assert editor.status_code == 200
    assert 'data-testid="cell-editor"' in editor.content.decode()

    response = supervisor.post(
        url(shop, f"{roster.pk}/cell/"), {"agent": agent.pk, "day": day.isoformat(), "shift": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="cell-broke"' in html
    assert f"{agent.name} 本月休息 4 天，应为 3 天" in html
    assert f'id="cell-{agent.pk}-{day:%Y%m%d}"' in html and 'hx-swap-oob="true"' in html
    assert not RosterShift.objects.filter(roster=roster, agent=agent, local_date=day).exists()


def test_infeasible_roster_shows_the_explanation(shop, supervisor) -> None:  # type: ignore[no-untyped-def]
    team(shop, 2)
    generate(shop)
    html = supervisor.get(url(shop) + "?month=2026-11").content.decode()
    assert 'data-testid="roster-explanations"' in html
    assert "11月1日 早班：需要 1 人，最多只能排 0 人" in html


def test_export_is_shaped_like_the_printed_table(shop, supervisor) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    response = supervisor.get(url(shop, f"{roster.pk}/export.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"{shop.name} 2026年11月 早班/晚班循环表"
    assert [sheet.cell(row=2, column=c).value for c in (1, 2, 31, 32, 33, 34)] == [
        "姓名",
        "1",
        "30",
        "班次",
        "工时",
        "休息",
    ]
    assert sheet["B3"].value == "日"  # 1 November 2026 is a Sunday
    names = [sheet.cell(row=r, column=1).value for r in range(4, 8)]
    assert sorted(names) == sorted(a.name for a in agents)
    row = [sheet.cell(row=4, column=c).value for c in range(2, 32)]
    assert row.count("休") == 3 and set(row) <= {"早班", "晚班", "休"}
    assert sheet.cell(row=4, column=32).value == 27
    early = next(c for c in range(2, 32) if sheet.cell(row=4, column=c).value == "早班")
    assert sheet.cell(row=4, column=early).fill.fgColor.rgb == "00FFF3BF"


def test_agent_submits_and_supervisor_decides(shop, agent, agent_client, supervisor) -> None:  # type: ignore[no-untyped-def]
    colleague = team(shop, 1)[0]
    past = agent_client.post(
        url(shop, "requests/"),
        {
            "kind": "leave",
            "agent": agent.pk,
            "start_date": "2026-10-19",
            "counterpart": colleague.pk,
        },
    )
    assert past.status_code == 200
    assert "不能为过去的日期（2026-10-19）申请请假" in past.content.decode()
    ok = agent_client.post(
        url(shop, "requests/"),
        {
            "kind": "leave",
            "agent": agent.pk,
            "start_date": "2026-10-22",
            "counterpart": colleague.pk,
        },
    )
    assert ok.status_code == 302
    item = Request.objects.get(shop=shop)
    assert (item.agent, item.kind, item.submitted_by) == (agent, RequestKind.LEAVE, agent.user)
    # The agent cannot decide; the supervisor can.
    assert (
        agent_client.post(url(shop, f"requests/{item.pk}/decide/"), {"approve": "1"}).status_code
        == 403
    )
    mine = agent_client.get(url(shop, "requests/")).content.decode()
    assert 'data-testid="request-approve"' not in mine
    page = supervisor.get(url(shop, "requests/")).content.decode()
    assert 'data-testid="request-approve"' in page
    decided = supervisor.post(url(shop, f"requests/{item.pk}/decide/"), {"approve": "1"})
    assert decided.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.APPROVED


def test_agent_requests_list_only_their_own(shop, agent, agent_client) -> None:  # type: ignore[no-untyped-def]
    other, colleague = team(shop, 2)
    request_submit(
        shop=shop,
        agent=other,
        kind="leave",
        start_date=dt.date(2026, 10, 25),
        counterpart=colleague,
        reason="私事甲",
        acting_user=None,
    )
    html = agent_client.get(url(shop, "requests/")).content.decode()
    assert "私事甲" not in html


def test_my_next_shifts(shop, agent, agent_client) -> None:  # type: ignore[no-untyped-def]
    team(shop, 3)
    roster = generate(shop, "2026-10")
    mine = sorted(d for (a, d) in cells(roster) if a == agent.id and d >= dt.date(2026, 10, 20))
    page = agent_client.get(url(shop, "mine/")).content.decode()
    assert "近期没有已发布的班次" in page  # still a draft
    roster.status = RosterStatus.PUBLISHED
    roster.save()
    page = agent_client.get(url(shop, "mine/")).content.decode()
    assert page.count('class="list-group-item') == len(mine)


def test_agent_home_page_lists_the_next_shifts(shop, agent, agent_client, supervisor) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    team(shop, 3)
    roster = generate(shop, "2026-10")
    roster_publish(shop=shop, roster=roster, acting_user=None)
    week = [dt.date(2026, 10, 20) + dt.timedelta(days=i) for i in range(7)]
    mine = [d for d in week if (agent.id, d) in cells(roster)]
    home = agent_client.get(reverse("web:dashboard", kwargs={"shop_id": shop.pk}))
    html = home.content.decode()
    assert home.status_code == 200
    assert 'data-testid="my-next-shifts"' in html
    card = html.split('data-testid="my-next-shifts"')[1]
    assert card.count('class="list-group-item') == len(mine)
    # A supervisor without an agent profile sees no such card.
    other = supervisor.get(reverse("web:dashboard", kwargs={"shop_id": shop.pk}))
    assert 'data-testid="my-next-shifts"' not in other.content.decode()


def test_penalty_names_are_words() -> None:
    from kefu.rota.templatetags.rota_tags import penalty_label

    assert penalty_label("balance_hours") == "月工时均衡"
    assert penalty_label("coverage_under") == "低于需要的人数"
    assert penalty_label("a_new_term") == "a_new_term"
