"""The demo agency: two shops, twelve agents, logins for every role, and a month of data for the
capabilities that exist. Deterministic for a seed; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from kefu.aftersales.demo import aftersales_demo_seed
from kefu.buyers.demo import buyers_demo_seed
from kefu.conversations.demo import kpi_demo_compute
from kefu.core.choices import Platform, Role
from kefu.core.models import Agency, Membership, Shop
from kefu.core.services import agency_create, membership_grant, shop_create
from kefu.demo.people import (
    AGENCY_NAME,
    AGENTS,
    DEMO_PASSWORD,
    LOGINS,
    PDD_SHOP,
    TMALL_SHOP,
    DemoAgent,
    DemoLogin,
)
from kefu.demo.staffing import demo_policy_adopt
from kefu.notify.models import Notice
from kefu.notify.services import notice_send
from kefu.policy.selectors import policy_in_force
from kefu.reviews.demo import reviews_demo_seed
from kefu.rota.demo import roster_demo_publish
from kefu.staff.models import Agent, Team
from kefu.staff.selectors import level_ladder
from kefu.staff.services import (
    agent_assign,
    agent_create,
    promotion_reviews_send,
    sub_account_add,
    team_create,
)
from kefu.staff.tenure import add_months
from kefu.worklog.demo import worklog_demo_replay

PDD_PRESET = "pdd-s3"
DEFAULT_TMALL_PRESET = "taobao-s1"
DEFAULT_SEED = 20261122


@dataclass(frozen=True)
class DemoResult:
    created: bool
    agency: Agency
    shops: list[Shop]
    logins: tuple[DemoLogin, ...]
    password: str


def demo_loaded() -> Agency | None:
    return Agency.objects.filter(name=AGENCY_NAME).first()


@transaction.atomic
def demo_load(
    *, today: dt.date, tmall_preset: str = DEFAULT_TMALL_PRESET, seed: int = DEFAULT_SEED
) -> DemoResult:
    """Create the demo agency unless it exists. `today` anchors tenures and the month of data."""
    existing = demo_loaded()
    if existing is not None:
        return DemoResult(
            False, existing, list(existing.shops.order_by("id")), LOGINS, DEMO_PASSWORD
        )
    rng = random.Random(seed)
    agency = agency_create(name=AGENCY_NAME)
    shops = {
        TMALL_SHOP: shop_create(agency=agency, name=TMALL_SHOP, platform=Platform.TMALL),
        PDD_SHOP: shop_create(agency=agency, name=PDD_SHOP, platform=Platform.PDD),
    }
    users = {login.username: _user_create(login) for login in LOGINS}
    for login in LOGINS:
        for shop_name in login.shops:
            membership_grant(shop=shops[shop_name], user=users[login.username], role=login.role)

    # The policies took effect at the start of last month, so this month has a history.
    effective = add_months(today.replace(day=1), -1)
    admin = users["admin"]
    # The presets, with the demo's staffing section (kefu.demo.staffing: Kefu defaults).
    demo_policy_adopt(
        shop=shops[TMALL_SHOP], preset=tmall_preset, effective_from=effective, acting_user=admin
    )
    demo_policy_adopt(
        shop=shops[PDD_SHOP], preset=PDD_PRESET, effective_from=effective, acting_user=admin
    )

    for index, demo_agent in enumerate(AGENTS):
        _agent_load(
            demo_agent=demo_agent,
            badge=f"{1001 + index}",
            shops=shops,
            users=users,
            today=today,
            rng=rng,
        )
    for shop in shops.values():
        _month_replay(shop=shop, start=effective, today=today)
        kpi_demo_compute(shop=shop, start=effective, today=today)
        roster_demo_publish(shop=shop, today=today)
        worklog_demo_replay(shop=shop, today=today)
        buyers_demo_seed(shop=shop, today=today)
        reviews_demo_seed(shop=shop, today=today)
        aftersales_demo_seed(shop=shop, today=today)
    return DemoResult(True, agency, list(shops.values()), LOGINS, DEMO_PASSWORD)


def _user_create(login: DemoLogin) -> User:
    is_admin = login.role == Role.ADMIN
    user: User = get_user_model().objects.create_user(
        username=login.username,
        password=DEMO_PASSWORD,
        first_name=login.display,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    return user


def _agent_load(
    *,
    demo_agent: DemoAgent,
    badge: str,
    shops: dict[str, Shop],
    users: dict[str, User],
    today: dt.date,
    rng: random.Random,
) -> Agent:
    home = shops[demo_agent.shops[0]]
    ladder, _clause = level_ladder(shop=home)
    steps = sorted(ladder, key=lambda s: s.min_tenure_months)
    level = steps[min(demo_agent.level_index, len(steps) - 1)]
    hire_date = add_months(today, -demo_agent.tenure_months) - dt.timedelta(days=rng.randint(0, 20))
    on_probation = demo_agent.tenure_months < 1
    login = next((lg for lg in LOGINS if lg.agent_name == demo_agent.name), None)
    agent = agent_create(
        agency=home.agency,
        name=demo_agent.name,
        hire_date=hire_date,
        level=level.key,
        probation_end=add_months(hire_date, 1) if on_probation else None,
        status="probation" if on_probation else "active",
        badge=badge,
        user=users[login.username] if login else None,
    )
    for shop_name in demo_agent.shops:
        shop = shops[shop_name]
        team_name = demo_agent.team if shop_name == demo_agent.shops[0] else "拼多多组"
        team = Team.objects.filter(shop=shop, name=team_name).first() or team_create(
            shop=shop, name=team_name
        )
        agent_assign(shop=shop, agent=agent, since=hire_date, duty=demo_agent.duty, team=team)
        sub_account_add(shop=shop, agent=agent, nickname=f"{shop.name}:{agent.name}")
    return agent


def _month_replay(*, shop: Shop, start: dt.date, today: dt.date) -> None:
    """Run the daily jobs of the capabilities that exist over the demo's past, dating what they
    produce on the day they would have run: the policy notice, then the 09:00 promotion
    reviews."""
    zone = shop.tzinfo
    members = [m.user for m in Membership.objects.filter(shop=shop).select_related("user")]
    version = policy_in_force(shop=shop, on=start).version
    adopted = notice_send(
        shop=shop,
        recipients=members,
        kind="policy_changed",
        title=f"管理制度已生效：{version.preset}（第{version.number}版）",
        body=f"自{start:%Y年%-m月%-d日}起执行。",
        link=f"/s/{shop.pk}/policy/",
    )
    Notice.objects.filter(pk__in=[n.pk for n in adopted]).update(
        created_at=dt.datetime.combine(start, dt.time(8, 0), tzinfo=zone)
    )
    day = start
    while day <= today:
        before = set(Notice.objects.filter(shop=shop).values_list("pk", flat=True))
        promotion_reviews_send(shop=shop, on=day)
        Notice.objects.filter(shop=shop).exclude(pk__in=before).update(
            created_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=zone)
        )
        day += dt.timedelta(days=1)
