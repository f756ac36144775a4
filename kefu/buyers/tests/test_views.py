"""The return-visit and follow-up pages: who sees and records what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from kefu.buyers.models import ReturnVisit
from kefu.buyers.selectors import return_visit_satisfaction
from kefu.conversations.models import Buyer
from kefu.core import clock

from .conftest import World


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _visits(w: World) -> tuple[ReturnVisit, ReturnVisit, ReturnVisit]:
    today = clock.shop_today(tz=w.shop.timezone)
    mine = ReturnVisit.objects.create(
        shop=w.shop,
        buyer=Buyer.objects.create(shop=w.shop, nickname="我的客户"),
        due_on=today,
        agent=w.agent1,
    )
    theirs = ReturnVisit.objects.create(
        shop=w.shop,
        buyer=Buyer.objects.create(shop=w.shop, nickname="别人的客户"),
        due_on=today,
        agent=w.agent2,
    )
    missed = ReturnVisit.objects.create(
        shop=w.shop,
        buyer=Buyer.objects.create(shop=w.shop, nickname="错过的客户"),
        due_on=today - dt.timedelta(days=10),
        agent=w.agent2,
        status="missed",
    )
    return mine, theirs, missed


def test_an_agent_sees_and_records_only_their_own_visits(world: World) -> None:
    mine, theirs, _ = _visits(world)
    agent = _client(world.agent_user)
    page = agent.get(reverse("buyers:visits", kwargs={"shop_id": world.shop.pk})).content.decode()
    assert "我的客户" in page and "别人的客户" not in page and "错过的客户" not in page
    url = reverse("buyers:visit_record", kwargs={"shop_id": world.shop.pk, "visit_id": theirs.pk})
    assert (
        agent.post(
            url, {"channel": "chat", "outcome": "satisfied", "satisfaction": "5"}
        ).status_code
        == 404
    )
    url = reverse("buyers:visit_record", kwargs={"shop_id": world.shop.pk, "visit_id": mine.pk})
    assert (
        agent.post(
            url,
            {"channel": "phone", "outcome": "satisfied", "satisfaction": "4", "remark": "很满意"},
        ).status_code
        == 302
    )
    mine.refresh_from_db()
    assert (mine.status, mine.channel, mine.satisfaction, mine.remark, mine.recorded_by_id) == (
        "done",
        "phone",
        4,
        "很满意",
        world.agent_user.pk,
    )
    month = clock.shop_today(tz=world.shop.timezone).strftime("%Y-%m")
    assert return_visit_satisfaction(shop=world.shop, month=month) == {
        world.agent1.pk: Decimal("4.00")
    }


def test_the_supervisor_sees_everyones_visits_and_the_missed_ones(world: World) -> None:
    _visits(world)
    page = (
        _client(world.supervisor)
        .get(reverse("buyers:visits", kwargs={"shop_id": world.shop.pk}))
        .content.decode()
    )
    assert "我的客户" in page and "别人的客户" in page
    missed = page.split('data-testid="visits-missed"')[1]
    assert "错过的客户" in missed and "小丽" in missed
