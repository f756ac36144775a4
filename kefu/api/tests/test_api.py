from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kefu.api.models import ApiToken
from kefu.api.services import token_issue, token_revoke, token_user
from kefu.core.choices import Role
from kefu.core.tests.factories import (
    AgentFactory,
    AssignmentFactory,
    MembershipFactory,
    ShopFactory,
    SubAccountFactory,
)
from kefu.policy.services import policy_adopt_preset

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():  # type: ignore[no-untyped-def]
    shop = ShopFactory(name="乐乐家居旗舰店")
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2025, 1, 1), acting_user=None
    )
    return shop


def bearer(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(headers={"authorization": f"Bearer {token_issue(user=user)}"})


def test_a_token_is_stored_as_a_digest_and_replaced_on_reissue(shop) -> None:  # type: ignore[no-untyped-def]
    user = MembershipFactory(shop=shop).user
    first = token_issue(user=user)
    row = ApiToken.objects.get(user=user)
    assert first.startswith("kefu_") and len(first) > 40
    assert row.digest != first and first not in row.digest
    assert row.prefix == first[5:13]
    second = token_issue(user=user)
    assert token_user(token=first) is None
    assert token_user(token=second) == user
    assert token_revoke(user=user) == 1
    assert token_user(token=second) is None


def test_without_credentials_the_api_answers_401_in_the_envelope() -> None:
    response = Client().get("/api/shops")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "Send 'Authorization: Bearer <token>' or log in",
            "details": [],
        }
    }


def test_a_bad_path_parameter_is_422_in_the_envelope(shop) -> None:  # type: ignore[no-untyped-def]
    client = bearer(MembershipFactory(shop=shop).user)
    response = client.get("/api/shops/not-a-number")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert body["details"][0]["path"] == "path.shop_id"


def test_agents_endpoint_returns_the_shops_agents_with_level_eligibility(shop) -> None:  # type: ignore[no-untyped-def]
    agent = AgentFactory(
        agency=shop.agency, name="小美", hire_date=dt.date(2024, 1, 15), level="junior"
    )
    AssignmentFactory(shop=shop, agent=agent, since=dt.date(2024, 1, 15))
    SubAccountFactory(shop=shop, agent=agent, nickname="乐乐家居旗舰店:小美")
    client = bearer(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    [row] = client.get(f"/api/shops/{shop.pk}/agents").json()
    assert row["name"] == "小美"
    assert row["sub_accounts"] == [{"nickname": "乐乐家居旗舰店:小美", "active": True}]
    # Hired January 2024: more than 24 months by now, so veteran (S4.5) is due.
    assert row["eligibility"]["eligible_level"] == "veteran"
    assert row["eligibility"]["promotion_due"] is True
    assert row["eligibility"]["next_level"] is None


def test_an_agent_role_may_not_list_the_team(shop) -> None:  # type: ignore[no-untyped-def]
    client = bearer(MembershipFactory(shop=shop, role=Role.AGENT).user)
    response = client.get(f"/api/shops/{shop.pk}/agents")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_policy_endpoint_returns_the_version_in_force(shop) -> None:  # type: ignore[no-untyped-def]
    client = bearer(MembershipFactory(shop=shop, role=Role.AGENT).user)
    body = client.get(f"/api/shops/{shop.pk}/policy").json()
    assert body["version"]["number"] == 1
    assert body["version"]["preset"] == "taobao-s4-points"
    assert body["version"]["effective_from"] == "2025-01-01"
    assert "points" in body["document"]


def test_session_users_can_issue_their_token_and_use_it(shop) -> None:  # type: ignore[no-untyped-def]
    user = MembershipFactory(shop=shop).user
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    token = client.post("/api/me/token").json()["token"]
    me = Client(headers={"authorization": f"Bearer {token}"}).get("/api/me").json()
    assert me["username"] == user.username
    assert [s["name"] for s in me["shops"]] == ["乐乐家居旗舰店"]


def test_openapi_docs_are_served() -> None:
    assert Client().get("/api/docs").status_code == 200
    schema = Client().get("/api/openapi.json").json()
    assert "/api/shops/{shop_id}/agents" in schema["paths"]


def test_notices_are_the_callers_own_and_can_be_marked_read(shop) -> None:  # type: ignore[no-untyped-def]
    from kefu.notify.services import notice_send

    me = MembershipFactory(shop=shop, role=Role.AGENT).user
    colleague = MembershipFactory(shop=shop, role=Role.AGENT).user
    [mine] = notice_send(shop=shop, recipients=[me], kind="info", title="排班已发布")
    [theirs] = notice_send(shop=shop, recipients=[colleague], kind="info", title="别人的")
    client = bearer(me)
    listed = client.get(f"/api/shops/{shop.pk}/notices").json()
    assert [(n["id"], n["title"], n["read_at"]) for n in listed] == [(mine.pk, "排班已发布", None)]
    url = f"/api/shops/{shop.pk}/notices/{theirs.pk}/read"
    assert client.post(url).status_code == 404
    assert client.post(f"/api/shops/{shop.pk}/notices/{mine.pk}/read").json() == {"marked": 1}
    assert client.get(f"/api/shops/{shop.pk}/notices?unread_only=true").json() == []
