"""The Kefu API under /api/ (OpenAPI at /api/docs). Thin: access, then a selector or service."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.security import django_auth

from kefu.api.access import api_shop
from kefu.api.auth import API_AUTH
from kefu.api.errors import install_error_handlers
from kefu.api.schemas import (
    AgentOut,
    ErrorOut,
    LevelEligibilityOut,
    MeOut,
    NoticeOut,
    PolicyOut,
    PolicyVersionOut,
    ReadOut,
    ShopOut,
    SubAccountOut,
    TokenOut,
)
from kefu.api.services import token_issue
from kefu.conversations.api import router as conversations_router
from kefu.core.access import Capability, shop_object_or_404, shops_for
from kefu.core.clock import shop_today
from kefu.core.models import Membership
from kefu.notify.selectors import notices_for
from kefu.notify.services import notice_mark_read
from kefu.payroll.api import router as payroll_router
from kefu.performance.api import router as points_router
from kefu.policy.models import PolicyVersion
from kefu.policy.selectors import policy_in_force, policy_versions
from kefu.reviews.api import router as reviews_router
from kefu.staff.selectors import AgentRow, agent_get, agent_rows

api = NinjaAPI(
    title="Kefu API",
    version="1",
    description="客服运营系统 API. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=API_AUTH,
)
install_error_handlers(api)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

me_router = Router(tags=["me"])
shops_router = Router(tags=["shops"])


def _shop_out(membership: Membership) -> ShopOut:
    shop = membership.shop
    return ShopOut(
        id=shop.pk,
        name=shop.name,
        platform=shop.platform,
        timezone=shop.timezone,
        agency=shop.agency.name,
        role=membership.role,
    )


@me_router.get("", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> MeOut:
    memberships = (
        Membership.objects.filter(user_id=request.user.pk or 0)
        .select_related("shop", "shop__agency")
        .order_by("shop_id")
    )
    return MeOut(username=request.user.get_username(), shops=[_shop_out(m) for m in memberships])


@me_router.post("/token", auth=django_auth, response={200: TokenOut, **ERRORS})
def me_token(request: HttpRequest) -> TokenOut:
    """Issue (or replace) your API token. Logged-in session only; the token is shown once."""
    user = request.user
    assert isinstance(user, User)  # django_auth admits logged-in users only
    return TokenOut(token=token_issue(user=user), note="Store it now: Kefu keeps only its digest.")


@shops_router.get("", response={200: list[ShopOut], **ERRORS})
def shop_list(request: HttpRequest) -> list[ShopOut]:
    shop_ids = shops_for(user=request.user).values("pk")
    memberships = Membership.objects.filter(user_id=request.user.pk or 0, shop_id__in=shop_ids)
    return [_shop_out(m) for m in memberships.select_related("shop", "shop__agency")]


@shops_router.get("/{shop_id}", response={200: ShopOut, **ERRORS})
def shop_detail(request: HttpRequest, shop_id: int) -> ShopOut:
    shop, role = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    return ShopOut(
        id=shop.pk,
        name=shop.name,
        platform=shop.platform,
        timezone=shop.timezone,
        agency=shop.agency.name,
        role=role,
    )


def _agent_out(row: AgentRow) -> AgentOut:
    e = row.eligibility
    return AgentOut(
        id=row.agent.pk,
        name=row.agent.name,
        level=row.agent.level,
        hire_date=row.agent.hire_date,
        probation_end=row.agent.probation_end,
        status=row.agent.status,
        duty=row.assignment.duty,
        team=row.assignment.team.name if row.assignment.team else None,
        sub_accounts=[
            SubAccountOut(nickname=s.nickname, active=s.active) for s in row.sub_accounts
        ],
        eligibility=LevelEligibilityOut(
            tenure_months=e.tenure_months,
            eligible_level=e.eligible.key,
            promotion_due=e.promotion_due,
            next_level=e.next_level.key if e.next_level else None,
            next_on=e.next_on,
        ),
    )


@shops_router.get("/{shop_id}/agents", response={200: list[AgentOut], **ERRORS})
def agent_list(request: HttpRequest, shop_id: int) -> list[AgentOut]:
    shop, _ = api_shop(request, shop_id, Capability.VIEW_TEAM)
    return [_agent_out(row) for row in agent_rows(shop=shop)]


@shops_router.get("/{shop_id}/agents/{agent_id}", response={200: AgentOut, **ERRORS})
def agent_detail(request: HttpRequest, shop_id: int, agent_id: int) -> AgentOut:
    shop, _ = api_shop(request, shop_id, Capability.VIEW_TEAM)
    agent = agent_get(shop=shop, agent_id=agent_id)
    return next(_agent_out(r) for r in agent_rows(shop=shop) if r.agent.pk == agent.pk)


def _version_out(version: PolicyVersion) -> PolicyVersionOut:
    return PolicyVersionOut(
        number=version.number,
        effective_from=version.effective_from,
        preset=version.preset,
        created_at=version.created_at,
        created_by=version.created_by.get_username() if version.created_by else None,
        note=version.note,
    )


@shops_router.get("/{shop_id}/policy", response={200: PolicyOut, **ERRORS})
def policy_current(request: HttpRequest, shop_id: int) -> PolicyOut:
    """The policy in force today in the shop's time zone."""
    shop, _ = api_shop(request, shop_id, Capability.VIEW_POLICY)
    in_force = policy_in_force(shop=shop, on=shop_today(tz=shop.timezone))
    return PolicyOut(version=_version_out(in_force.version), document=in_force.version.document)


@shops_router.get("/{shop_id}/policy/versions", response={200: list[PolicyVersionOut], **ERRORS})
def policy_version_list(request: HttpRequest, shop_id: int) -> list[PolicyVersionOut]:
    shop, _ = api_shop(request, shop_id, Capability.VIEW_POLICY)
    return [_version_out(v) for v in policy_versions(shop=shop)]


@shops_router.get("/{shop_id}/notices", response={200: list[NoticeOut], **ERRORS})
def notice_list(request: HttpRequest, shop_id: int, unread_only: bool = False) -> list[NoticeOut]:
    """Your notices in this shop, newest first (at most 200)."""
    shop, _ = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    notices = notices_for(shop=shop, user=request.user, unread_only=unread_only)[:200]
    return [NoticeOut.from_orm(n) for n in notices]


@shops_router.post("/{shop_id}/notices/{notice_id}/read", response={200: ReadOut, **ERRORS})
def notice_read(request: HttpRequest, shop_id: int, notice_id: int) -> ReadOut:
    shop, _ = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    notice = shop_object_or_404(notices_for(shop=shop, user=request.user), shop=shop, pk=notice_id)
    user = request.user
    assert isinstance(user, User)  # api_shop admits members only
    return ReadOut(marked=notice_mark_read(shop=shop, user=user, notice_ids=[notice.pk]))


api.add_router("/me", me_router)
api.add_router("/shops", shops_router)
api.add_router("/shops", conversations_router)
api.add_router("/shops", points_router)
api.add_router("/shops", payroll_router)
api.add_router("/shops", reviews_router)
