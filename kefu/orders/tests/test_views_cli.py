"""The upload page, the pages it leads to, and `kefu import orders`."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory, ShopFactory
from kefu.orders.models import ImportBatch, Order
from kefu.orders.tests import samples as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def supervisor(client, shop):
    client.force_login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    return client


def _upload(name, data):
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_upload_shows_counts_then_the_order(supervisor, shop):
    url = reverse("orders:import", kwargs={"shop_id": shop.pk})
    assert supervisor.get(url).status_code == 200
    data = s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1"), s.taobao_b_row("2", status="怪")])
    response = supervisor.post(url, _upload("ExportOrderList.csv", data), follow=True)
    batch = ImportBatch.objects.get(shop=shop)
    assert response.redirect_chain == [
        (reverse("orders:batch", kwargs={"shop_id": shop.pk, "batch_id": batch.pk}), 302)
    ]
    page = response.content.decode()
    assert '<div class="h2 mb-0 text-green" data-testid="created">2</div>' in page
    assert "第 3 行：未知订单状态「怪」，记为“其他”" in page
    order = Order.objects.get(shop=shop, order_no="1")
    detail = supervisor.get(
        reverse("orders:detail", kwargs={"shop_id": shop.pk, "order_id": order.pk})
    )
    assert "买家已付款，等待卖家发货" in detail.content.decode()
    listing = supervisor.get(reverse("orders:list", kwargs={"shop_id": shop.pk}))
    assert listing.content.decode().count(f'href="/s/{shop.pk}/orders/') >= 2


def test_upload_of_a_bad_file_shows_the_error_and_imports_nothing(supervisor, shop):
    url = reverse("orders:import", kwargs={"shop_id": shop.pk})
    data = s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1", 订单创建时间="2026-13-01")])
    response = supervisor.post(url, _upload("x.csv", data))
    assert response.status_code == 400
    assert "x.csv 第 2 行「订单创建时间」列：不是日期时间：&#x27;2026-13-01&#x27;" in (
        response.content.decode()
    )
    assert not Order.objects.exists()


def test_agents_cannot_import(client, shop):
    client.force_login(MembershipFactory(shop=shop, role=Role.AGENT).user)
    assert client.get(reverse("orders:import", kwargs={"shop_id": shop.pk})).status_code == 403


def test_cli_imports_files_and_reports(tmp_path, shop):
    good = tmp_path / "ExportOrderList.csv"
    good.write_bytes(s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("1")]))
    out = io.StringIO()
    call_command("import", "orders", "--shop", str(shop.pk), str(good), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == (
        "ExportOrderList.csv: taobao_orders, 1 rows: 1 created, 0 updated, 0 unchanged"
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(s.csv_bytes(s.TAOBAO_B_HEADER, [s.taobao_b_row("2", 总金额="x")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "orders", "--shop", str(shop.pk), str(bad), stderr=err, stdout=out)
    assert err.getvalue().strip() == "error: bad.csv 第 2 行「总金额」列：不是金额：'x'"
    assert list(Order.objects.values_list("order_no", flat=True)) == ["1"]
