"""Buyers' phone numbers and addresses on orders: masked for every role, revealed one field at a
time by a POST from a role with REVEAL_PERSONAL_DATA, each reveal in the audit log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.choices import Role
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import MembershipFactory, ShopFactory
from kefu.orders.models import Order
from kefu.orders.services import orders_import
from kefu.orders.tests import samples as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def order() -> Order:
    shop = ShopFactory()
    row = s.taobao_b_row(
        "7001", 收货人姓名="王小明", **{"收货地址 ": "浙江省杭州市西湖区文三路100号"}
    )
    orders_import(
        shop=shop, data=s.csv_bytes(s.TAOBAO_B_HEADER, [row]), filename="o.csv", acting_user=None
    )
    return Order.objects.get(shop=shop, order_no="7001")


def client_as(order: Order, role: Role) -> tuple[Client, object]:
    user = MembershipFactory(shop=order.shop, role=role).user
    client = Client()
    client.force_login(user)
    return client, user


def test_the_order_page_masks_and_a_supervisor_reveals_with_an_audit_entry(order: Order) -> None:
    client, user = client_as(order, Role.SUPERVISOR)
    page = client.get(reverse("orders:detail", args=[order.shop_id, order.pk])).content.decode()
    assert 'data-testid="masked-phone">138****5678<' in page
    assert 'data-testid="masked-address">浙江省杭州市西湖区****<' in page
    assert 'data-testid="masked-name">王**<' in page
    assert "13812345678" not in page and "文三路" not in page
    assert 'data-testid="reveal-phone"' in page

    url = reverse("orders:contact_reveal", args=[order.shop_id, order.pk])
    revealed = client.post(url, {"field": "phone"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="revealed-phone">13812345678<' in revealed
    entry = AuditEntry.objects.get(shop=order.shop, action="orders.contact_reveal")
    assert (entry.actor, entry.object_type, entry.object_id) == (user, "Order", str(order.pk))
    assert entry.new_value == {"field": "phone", "order_no": "7001"}  # never the number itself
    assert client.post(url, {"field": "address"}).content.decode().count("文三路100号") == 1
    assert AuditEntry.objects.filter(action="orders.contact_reveal").count() == 2
    assert client.post(url, {"field": "password"}).status_code == 400
    assert client.get(url).status_code == 405


def test_roles_without_the_right_see_only_the_mask(order: Order) -> None:
    client, _ = client_as(order, Role.FINANCE)
    page = client.get(reverse("orders:detail", args=[order.shop_id, order.pk])).content.decode()
    assert "138****5678" in page and 'data-testid="reveal-phone"' not in page
    url = reverse("orders:contact_reveal", args=[order.shop_id, order.pk])
    assert client.post(url, {"field": "phone"}).status_code == 403
    agent, _ = client_as(order, Role.AGENT)
    assert agent.post(url, {"field": "phone"}).status_code == 403
    assert not AuditEntry.objects.filter(action="orders.contact_reveal").exists()
