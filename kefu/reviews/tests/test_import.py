"""Importing reviews: the TOP TradeRate JSON and the CSV, idempotence, bad files."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from kefu.conversations.models import Buyer
from kefu.core.choices import Platform
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.core.tests.factories import ShopFactory
from kefu.policy.services import policy_adopt_preset
from kefu.reviews.models import Review
from kefu.reviews.services import reviews_import

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def top_answer(*rates: dict[str, object]) -> bytes:
    document = {
        "traderates_get_response": {
            "trade_rates": {"trade_rate": list(rates)},
            "total_results": len(rates),
        }
    }
    return json.dumps(document, ensure_ascii=False).encode()


RATES = (
    {
        "tid": 2231958349,
        "oid": 2231958350,
        "num_iid": 3424234,
        "item_title": "加厚保温杯 500ml",
        "item_price": "59.00",
        "nick": "t***1",
        "rated_nick": "乐乐家居旗舰店",
        "role": "buyer",
        "result": "bad",
        "content": "杯盖漏水，质量太差",
        "reply": "",
        "created": "2026-03-02 21:15:00",
        "valid_score": True,
    },
    {
        "tid": 2231958400,
        "oid": 2231958400,
        "item_title": "旅行收纳袋",
        "nick": "小鹿",
        "role": "buyer",
        "result": "neutral",
        "content": "一般般吧，发货慢",
        "created": "2026-03-03 08:00:00",
    },
    {
        "tid": 2231958500,
        "oid": 2231958501,
        "item_title": "旅行收纳袋",
        "nick": "阿杰",
        "role": "buyer",
        "result": "good",
        "content": "很好，下次还来",
        "created": "2026-03-03 09:00:00",
    },
    {
        "tid": 2231958600,
        "oid": 2231958601,
        "nick": "乐乐家居旗舰店",
        "role": "seller",
        "result": "good",
        "content": "好买家",
        "created": "2026-03-03 09:00:00",
    },
)


def test_top_json_import(shop: Shop) -> None:
    result = reviews_import(
        shop=shop, data=top_answer(*RATES), filename="rates.json", acting_user=None
    )
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert result.skipped_seller_ratings == 1
    rows = {
        r.platform_review_id: (r.buyer_nick, r.rating, r.severity, r.status, r.item_title)
        for r in Review.objects.filter(shop=shop)
    }
    assert rows == {
        "2231958349-2231958350": ("t***1", "bad", "severe", "open", "加厚保温杯 500ml"),
        "2231958400": ("小鹿", "neutral", "medium", "open", "旅行收纳袋"),
        "2231958500-2231958501": ("阿杰", "good", "", "ignored", "旅行收纳袋"),
    }
    severe = Review.objects.get(shop=shop, platform_review_id="2231958349-2231958350")
    assert severe.rated_at == dt.datetime(2026, 3, 2, 21, 15, tzinfo=SH)
    assert severe.order_no == "2231958349"
    assert severe.item_id == "3424234"
    assert severe.severity_reason == "差评，或提到质量问题、假货、辱骂（差评、质量太差、漏水）"
    assert severe.buyer == Buyer.objects.get(shop=shop, nickname="t***1")
    assert severe.policy_version is not None
    assert severe.source == "top"


def test_reimport_is_idempotent_and_a_changed_rating_closes_the_follow_up(shop: Shop) -> None:
    reviews_import(shop=shop, data=top_answer(*RATES), filename="rates.json", acting_user=None)
    again = reviews_import(
        shop=shop, data=top_answer(*RATES), filename="rates.json", acting_user=None
    )
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert Review.objects.filter(shop=shop).count() == 3
    changed = dict(RATES[0], result="good", content="商家处理很及时，好评")
    later = reviews_import(
        shop=shop, data=top_answer(changed), filename="rates2.json", acting_user=None
    )
    assert (later.added, later.updated, later.unchanged) == (0, 1, 0)
    review = Review.objects.get(shop=shop, platform_review_id="2231958349-2231958350")
    assert (review.rating, review.progress, review.status) == ("good", "changed", "closed")


CSV = (
    "评价ID,订单号,买家,联系电话,商品,评价结果,评价内容,评价时间,追加评论,商家回复\n"
    'R1,="1930679858170647",小王,\'13812341234,保温杯,中评,还可以,2026-03-04 10:00:00,'
    "用了三天就坏了,\n"
    "R2,1930679858170648,小李,,收纳袋,差评,客服态度差,2026/3/4 11:30,,已联系\n"
    "R3,1930679858170649,小张,,收纳袋,好评,不错,2026-03-04 12:00:00,,\n"
)


def test_csv_import(shop: Shop) -> None:
    result = reviews_import(
        shop=shop, data=CSV.encode("gb18030"), filename="评价.csv", acting_user=None
    )
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    r1 = Review.objects.get(shop=shop, platform_review_id="R1")
    assert (r1.order_no, r1.phone, r1.rating) == ("1930679858170647", "13812341234", "neutral")
    assert r1.append_content == "用了三天就坏了"
    assert r1.severity == "severe"  # the follow-up review says 坏了
    r2 = Review.objects.get(shop=shop, platform_review_id="R2")
    assert (r2.severity, r2.reply, r2.rated_at) == (
        "severe",
        "已联系",
        dt.datetime(2026, 3, 4, 11, 30, tzinfo=SH),
    )
    assert Review.objects.get(shop=shop, platform_review_id="R3").severity == ""


def test_a_bad_row_imports_nothing(shop: Shop) -> None:
    bad = CSV + "R4,1930679858170650,小赵,,收纳袋,很差,太差了,2026-03-04 12:00:00,,\n"
    with pytest.raises(InvalidInput) as caught:
        reviews_import(shop=shop, data=bad.encode(), filename="评价.csv", acting_user=None)
    assert (
        caught.value.message
        == "评价.csv 第 5 行「评价结果」列：评价结果 '很差' 不是 好评/中评/差评"
    )
    assert Review.objects.filter(shop=shop).count() == 0
    assert Buyer.objects.filter(shop=shop).count() == 0


def test_a_duplicate_review_in_one_file_is_refused(shop: Shop) -> None:
    doubled = CSV + "R1,1930679858170647,小王,,保温杯,中评,还可以,2026-03-04 10:00:00,,\n"
    with pytest.raises(InvalidInput) as caught:
        reviews_import(shop=shop, data=doubled.encode(), filename="a.csv", acting_user=None)
    assert caught.value.message == "a.csv 第 5 行：评价编号 R1 在文件中重复"
    assert Review.objects.filter(shop=shop).count() == 0


def test_a_top_file_for_a_shop_on_another_platform_is_refused() -> None:
    jd = ShopFactory(platform=Platform.JD, name="京东店")
    policy_adopt_preset(
        shop=jd, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    with pytest.raises(InvalidInput) as caught:
        reviews_import(shop=jd, data=top_answer(*RATES), filename="rates.json", acting_user=None)
    assert caught.value.message == (
        "rates.json：这是淘宝开放平台（TOP）的评价数据，店铺「京东店」在京东"
    )
    assert Review.objects.filter(shop=jd).count() == 0


def test_broken_json_names_the_line(shop: Shop) -> None:
    with pytest.raises(InvalidInput) as caught:
        reviews_import(
            shop=shop, data=b'{"trade_rates":\n [1,', filename="x.json", acting_user=None
        )
    assert caught.value.message.startswith("x.json 第 2 行：JSON 格式错误")
