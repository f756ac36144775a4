"""Tenancy, proved by walking every route: a user of shop A gets 404 (not 403, not data) for
every object of shop B, on every web page and every API operation. A new route with a URL
parameter this test does not know fails here until its app declares it in
kefu/<app>/tests/tenancy_objects.py."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kefu.api.api import api
from kefu.api.services import token_issue
from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import (
    AgencyFactory,
    AssignmentFactory,
    MembershipFactory,
    ShopFactory,
    SubAccountFactory,
)
from kefu.notify.services import notice_send
from kefu.payroll.services import payroll_run
from kefu.performance.closing import month_close
from kefu.policy.services import policy_adopt_preset

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", params: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        converters = tuple(getattr(entry.pattern, "converters", {}).keys())
        if isinstance(entry, URLResolver):
            if entry.namespace in {"admin", "api"} or "i18n" in str(entry.pattern):
                continue  # the Django admin is the raw-data tool; the API is walked below
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, ns, params + converters)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{prefix}{entry.name}", params + converters)


def web_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


@dataclass
class World:
    shop_a: Shop
    shop_b: Shop
    objects: dict[str, dict[str, int]]  # param name -> {"a": pk in shop A, "b": pk in shop B}


def _shop_with_objects(agency_name: str) -> tuple[Shop, dict[str, int]]:
    shop = ShopFactory(agency=AgencyFactory(name=agency_name))
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    policy_adopt_preset(shop=shop, preset="taobao-s1", effective_from=_day(), acting_user=None)
    assignment = AssignmentFactory(shop=shop)
    SubAccountFactory(shop=shop, agent=assignment.agent)
    notice = notice_send(shop=shop, recipients=[supervisor], kind="info", title="hello")[0]
    # Imported here so that only this function and OBJECTS_OF_SHOP change per app.
    from kefu.knowledge.choices import ExamStatus, QuestionKind
    from kefu.knowledge.models import Attempt, Exam, Product, Question, QuickPhrase

    product = Product.objects.create(shop=shop, name="保温杯")
    phrase = QuickPhrase.objects.create(shop=shop, group="问候", text="您好")
    exam = Exam.objects.create(shop=shop, title="10月考试", status=ExamStatus.OPEN)
    question = Question.objects.create(shop=shop, exam=exam, kind=QuestionKind.SHORT, text="?")
    attempt = Attempt.objects.create(shop=shop, exam=exam, agent=assignment.agent)
    month_close(shop=shop, month="2026-01", acting_user=None)
    run = payroll_run(shop=shop, month="2026-01", acting_user=None)
    from kefu.orders.models import ImportBatch, Order

    batch = ImportBatch.objects.create(shop=shop, file_name="a.csv", sha256="0", kind="x")
    order = Order.objects.create(shop=shop, order_no="1", status="paid", batch=batch)
    from kefu.conversations.models import Buyer, ChatAccount, Conversation

    buyer = Buyer.objects.create(shop=shop, nickname="买家")
    conversation = Conversation.objects.create(shop=shop, buyer=buyer, day=_day())
    seen = batch.created_at
    account = ChatAccount.objects.create(
        shop=shop, nickname="店:新人", first_seen_at=seen, last_seen_at=seen
    )
    objects = {
        "conversation_id": conversation.pk,
        "account_id": account.pk,
        "order_id": order.pk,
        "batch_id": batch.pk,
        "agent_id": assignment.agent_id,
        "notice_id": notice.pk,
        "run_id": run.pk,
        "payslip_id": run.payslips.get().pk,
        "phrase_id": phrase.pk,
        "product_id": product.pk,
        "exam_id": exam.pk,
        "question_id": question.pk,
        "attempt_id": attempt.pk,
    }
    # Apps added later declare their objects in kefu/<app>/tests/tenancy_objects.py, a
    # `shop_objects(*, shop, assignment) -> dict[param name, pk]`, so no two apps edit this file.
    for module_name in _tenancy_object_modules():
        module = importlib.import_module(module_name)
        extra = module.shop_objects(shop=shop, assignment=assignment)
        clash = set(extra) & set(objects)
        assert not clash, f"{module_name} declares {clash} again"
        objects.update(extra)
    return shop, objects


def _tenancy_object_modules() -> list[str]:
    import kefu

    names = []
    for app in pkgutil.iter_modules(kefu.__path__):
        if not app.ispkg or importlib.util.find_spec(f"kefu.{app.name}.tests") is None:
            continue
        name = f"kefu.{app.name}.tests.tenancy_objects"
        if importlib.util.find_spec(name) is not None:
            names.append(name)
    return sorted(names)


def _day():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(2026, 1, 1)


# Every URL parameter naming an object of a shop, and how to find one in a World.
def _object_of_shop(world: World, side: str, param: str) -> int:
    if param == "shop_id":
        return (world.shop_a if side == "a" else world.shop_b).pk
    return world.objects[param][side]


PUBLIC_ROUTES = {"web:login", "web:logout", "web:home"}


@pytest.fixture
def world() -> World:
    shop_a, objects_a = _shop_with_objects("甲公司")
    shop_b, objects_b = _shop_with_objects("乙公司")
    objects = {k: {"a": objects_a[k], "b": objects_b[k]} for k in objects_a}
    return World(shop_a, shop_b, objects)


@pytest.fixture
def admin_of_a(world: World) -> Client:
    """The most privileged role, in shop A only."""
    user = MembershipFactory(shop=world.shop_a, role=Role.ADMIN).user
    client = Client()
    client.force_login(user)
    return client


def _kwargs(
    route_params: tuple[str, ...], world: World, side_of: Callable[[str], str]
) -> dict[str, int]:
    known = {"shop_id", *world.objects}
    unknown = [p for p in route_params if p not in known]
    assert not unknown, (
        f"declare {unknown} in kefu/<app>/tests/tenancy_objects.py so tenancy is checked for it"
    )
    return {p: _object_of_shop(world, side_of(p), p) for p in route_params}


def test_the_walk_covers_the_shop_routes() -> None:
    names = {r.name for r in web_routes()}
    assert {
        "web:dashboard",
        "web:agent_list",
        "web:agent_detail",
        "policy:page",
        "notify:list",
    } <= names
    assert len(api_operations()) >= 7


def test_every_web_route_of_shop_b_is_404_for_a_user_of_shop_a(
    world: World, admin_of_a: Client
) -> None:
    checked = []
    for route in web_routes():
        if route.name in PUBLIC_ROUTES:
            continue
        assert "shop_id" in route.params, f"{route.name} is not under /s/<shop_id>/: scope it"
        url_b = reverse(route.name, kwargs=_kwargs(route.params, world, lambda p: "b"))
        url_a = reverse(route.name, kwargs=_kwargs(route.params, world, lambda p: "a"))
        for method in ("get", "post"):
            response = getattr(admin_of_a, method)(url_b)
            assert response.status_code == 404, (
                f"{method.upper()} {url_b} gave {response.status_code}"
            )
        # The same route works in the user's own shop, so the 404 above is about tenancy.
        assert admin_of_a.get(url_a).status_code in {200, 405}, url_a
        # Shop A in the URL with an object of shop B: still 404.
        object_params = [p for p in route.params if p != "shop_id"]
        if object_params:
            mixed = _kwargs(route.params, world, lambda p: "a" if p == "shop_id" else "b")
            url_mixed = reverse(route.name, kwargs=mixed)
            assert admin_of_a.get(url_mixed).status_code == 404, url_mixed
        checked.append(route.name)
    assert len(checked) >= 5


def _api_path(path: str, world: World, side_of: Callable[[str], str]) -> str | None:
    params = tuple(re.findall(r"{(\w+)}", path))
    if not params:
        return None
    kwargs = _kwargs(params, world, side_of)
    return path.format(**kwargs)


def test_every_api_operation_of_shop_b_is_404_for_a_user_of_shop_a(
    world: World, admin_of_a: Client
) -> None:
    user = admin_of_a.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    token = token_issue(user=get_user_model().objects.get(pk=user))
    client = Client(headers={"authorization": f"Bearer {token}"})
    checked = 0
    for method, path in api_operations():
        url_b = _api_path(path, world, lambda p: "b")
        if url_b is None:
            continue
        response = client.generic(method, url_b, data="{}", content_type="application/json")
        assert response.status_code == 404, f"{method} {url_b} gave {response.status_code}"
        assert response.json()["error"]["code"] == "not_found"
        if method == "GET":
            url_a = _api_path(path, world, lambda p: "a")
            assert client.get(url_a).status_code == 200, url_a
        checked += 1
    assert checked >= 5


def test_api_lists_show_only_the_users_shops(world: World, admin_of_a: Client) -> None:
    shops = admin_of_a.get("/api/shops").json()
    assert [s["id"] for s in shops] == [world.shop_a.pk]
    me = admin_of_a.get("/api/me").json()
    assert [s["id"] for s in me["shops"]] == [world.shop_a.pk]
