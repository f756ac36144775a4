"""Reviews through the API (list, import), the `kefu reviews import` command, and the paged
table (filters kept in the page links, htmx gets the table alone)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kefu.api.services import token_issue
from kefu.core.models import Shop
from kefu.reviews.models import Review
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db

CSV = (
    "评价ID,订单号,买家,联系电话,商品,评价结果,评价内容,评价时间\n"
    "R1,1001,小王,13812341234,保温杯,差评,杯盖漏水,2026-03-04 10:00:00\n"
    "R2,1002,小李,,收纳袋,中评,发货慢,2026-03-04 11:00:00\n"
    "R3,1003,小张,,收纳袋,好评,不错,2026-03-04 12:00:00\n"
)


def bearer(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(headers={"authorization": f"Bearer {token_issue(user=user)}"})


def api_import(client: Client, shop: Shop, data: bytes, name: str = "评价.csv"):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(f"/api/shops/{shop.pk}/reviews/import", {"file": file})


def test_api_import_then_list(shop: Shop, supervisor_user, agent: Agent) -> None:  # type: ignore[no-untyped-def]
    boss = bearer(supervisor_user)
    response = api_import(boss, shop, CSV.encode("gb18030"))
    assert response.status_code == 200
    assert response.json() == {
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped_seller_ratings": 0,
    }
    assert api_import(boss, shop, CSV.encode("gb18030")).json()["unchanged"] == 3

    listed = boss.get(f"/api/shops/{shop.pk}/reviews").json()
    assert (listed["count"], listed["page"], listed["pages"], listed["page_size"]) == (2, 1, 1, 50)
    first = listed["items"][0]
    assert (first["platform_review_id"], first["severity"], first["phone"]) == (
        "R1",
        "severe",
        "13812341234",
    )
    assert [r["buyer_nick"] for r in listed["items"]] == ["小王", "小李"]
    everything = boss.get(f"/api/shops/{shop.pk}/reviews", {"status": "all", "page_size": 2})
    assert (everything.json()["count"], everything.json()["pages"]) == (3, 2)
    second = boss.get(
        f"/api/shops/{shop.pk}/reviews", {"status": "all", "page_size": 2, "page": 2}
    ).json()
    assert [r["buyer_nick"] for r in second["items"]] == ["小张"]

    # An agent: masked phone, and may not import.
    mine = bearer(agent.user)
    assert mine.get(f"/api/shops/{shop.pk}/reviews").json()["items"][0]["phone"] == "138****1234"
    refused = api_import(mine, shop, CSV.encode())
    assert refused.status_code == 403


def test_api_bad_input_is_named_and_stores_nothing(shop: Shop, supervisor_user) -> None:  # type: ignore[no-untyped-def]
    boss = bearer(supervisor_user)
    bad = CSV + "R4,1004,小赵,,收纳袋,很差,太差了,2026-03-04 12:00:00\n"
    response = api_import(boss, shop, bad.encode())
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "评价.csv 第 5 行「评价结果」列：评价结果 '很差' 不是 好评/中评/差评"
    )
    assert not Review.objects.exists()
    missing = boss.post(f"/api/shops/{shop.pk}/reviews/import")
    assert missing.status_code == 422
    assert (
        missing.json()["error"]["message"] == "send the review file as the multipart field 'file'"
    )
    wrong = boss.get(f"/api/shops/{shop.pk}/reviews", {"status": "done"})
    assert (wrong.status_code, wrong.json()["error"]["message"]) == (422, "unknown status 'done'")
    too_big = boss.get(f"/api/shops/{shop.pk}/reviews", {"page_size": 500})
    assert too_big.status_code == 422


def test_cli_import(shop: Shop, tmp_path: Path) -> None:
    good = tmp_path / "评价.csv"
    good.write_bytes(CSV.encode("gb18030"))
    bad = tmp_path / "坏.csv"
    bad.write_bytes((CSV + "R4,1004,小赵,,收纳袋,很差,太差了,2026-03-04 12:00:00\n").encode())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="some files were not imported"):
        call_command(
            "reviews", "import", "--shop", str(shop.pk), str(bad), str(good), stdout=out, stderr=err
        )
    assert out.getvalue() == "评价.csv: 3 added, 0 updated, 0 unchanged\n"
    assert err.getvalue() == (
        "error: 坏.csv 第 5 行「评价结果」列：评价结果 '很差' 不是 好评/中评/差评\n"
    )
    assert Review.objects.filter(shop=shop).count() == 3
    with pytest.raises(CommandError, match="no shop with id 0"):
        call_command("reviews", "import", "--shop", "0", str(good))


def _many(shop: Shop, n: int) -> None:
    Review.objects.bulk_create(
        Review(
            shop=shop, platform_review_id=f"P{i}", order_no=str(i), buyer_nick=f"买家{i:03d}",
            rating="bad", content="质量太差", severity="severe" if i % 2 else "medium",
            rated_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i),
            source="csv",
        )
        for i in range(n)
    )  # fmt: skip


def test_the_table_is_paged_and_keeps_its_filters(supervisor: Client, shop: Shop) -> None:
    _many(shop, 120)  # 60 severe, 60 medium
    url = reverse("reviews:list", kwargs={"shop_id": shop.pk})
    first = supervisor.get(url, {"status": "all", "severity": "severe"})
    html = first.content.decode()
    assert html.count('data-testid="review-row"') == 50
    assert "第 1 / 2 页，共 60 条" in html
    assert 'href="?status=all&amp;severity=severe&amp;page=2"' in html
    second = supervisor.get(url, {"status": "all", "severity": "severe", "page": "2"})
    assert second.content.decode().count('data-testid="review-row"') == 10
    # htmx asks for the next page: the table card alone, not the whole page.
    partial = supervisor.get(
        url, {"status": "all", "severity": "severe", "page": "2"}, headers={"HX-Request": "true"}
    )
    body = partial.content.decode()
    assert body.lstrip().startswith('<div class="card" id="reviews">')
    assert body.count('data-testid="review-row"') == 10
    assert "<html" not in body
    # Everything, unfiltered: 120 rows over 3 pages (no 500-row cap any more).
    assert "第 1 / 3 页，共 120 条" in supervisor.get(url, {"status": "all"}).content.decode()
