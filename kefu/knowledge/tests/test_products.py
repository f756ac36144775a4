from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.core.tests.factories import AssignmentFactory
from kefu.knowledge import selectors, services
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def test_product_names_are_unique_per_shop(shop: Shop) -> None:
    services.product_save(shop=shop, product=None, values={"name": "保温杯"}, acting_user=None)
    with pytest.raises(InvalidInput, match="本店已有名为“保温杯”的商品"):
        services.product_save(shop=shop, product=None, values={"name": "保温杯 "}, acting_user=None)


def test_launch_checklist_follows_the_ten_shop_rule(shop: Shop, agent: Agent) -> None:
    policy_adopt_preset(shop=shop, preset="dongyao-s4", effective_from=DAY, acting_user=None)
    other = AssignmentFactory(shop=shop).agent
    product = services.product_save(
        shop=shop,
        product=None,
        values={
            "name": "保温杯",
            "launch_date": DAY + dt.timedelta(days=7),
            "competitor_shops": "\n".join(f"竞品店{n}" for n in [1, 2, 2, 3]),
        },
        acting_user=None,
    )
    checklist = selectors.launch_checklist(shop=shop, product=product, on=DAY)
    assert [(i.label, i.done, i.detail) for i in checklist.items] == [
        ("培训已开展", False, "未记录培训日期"),
        ("每位客服已确认", False, "0 / 2 人已确认"),
        ("快捷短语已编写", False, "0 条相关短语"),
        ("竞品评价已阅读", False, "3 / 10 家（S4.4 §3.2②③）"),
    ]
    services.product_save(
        shop=shop,
        product=product,
        values={
            "name": "保温杯",
            "training_held_on": DAY,
            "competitor_shops": "\n".join(f"竞品店{n}" for n in range(10)),
        },
        acting_user=None,
    )
    for each in (agent, other):
        services.product_confirm(shop=shop, product=product, agent=each, acting_user=None)
    services.quick_phrase_create(
        shop=shop, group="议价", text="亲，保温杯今天有券哦", product=product, acting_user=None
    )
    checklist = selectors.launch_checklist(shop=shop, product=product, on=DAY)
    assert checklist.complete
    assert [c.product for c in selectors.upcoming_launches(shop=shop, on=DAY)] == [product]


def test_without_a_minimum_one_competitor_shop_is_enough(shop: Shop) -> None:
    product = services.product_save(
        shop=shop,
        product=None,
        values={"name": "杯子", "competitor_shops": "A店"},
        acting_user=None,
    )
    item = selectors.launch_checklist(shop=shop, product=product, on=DAY).items[3]
    assert (item.done, item.detail) == (True, "1 家（制度未规定家数）")


def test_faq_needs_question_and_answer(shop: Shop) -> None:
    product = services.product_save(
        shop=shop, product=None, values={"name": "杯子"}, acting_user=None
    )
    with pytest.raises(InvalidInput, match="问题和回答都要填写"):
        services.product_faq_add(
            shop=shop, product=product, question="能装开水吗", answer=" ", acting_user=None
        )
    faq = services.product_faq_add(
        shop=shop, product=product, question="能装开水吗", answer="可以", acting_user=None
    )
    assert list(product.faqs.all()) == [faq]


def test_products_import_from_item_data_fills_only_empty_fields(shop: Shop) -> None:
    mine = services.product_save(
        shop=shop,
        product=None,
        values={"name": "保温杯", "selling_points": "我写的"},
        acting_user=None,
    )
    data = (
        "宝贝ID,宝贝标题,卖点,价格\n1001,保温杯,316内胆；保温12小时,99\n1002,儿童水杯,防漏；轻,59\n"
    ).encode("gb18030")
    assert services.products_import(
        shop=shop, data=data, filename="宝贝.csv", acting_user=None
    ) == (1, 1)
    assert services.products_import(
        shop=shop, data=data, filename="宝贝.csv", acting_user=None
    ) == (0, 0)
    mine.refresh_from_db()
    assert (mine.item_id, mine.selling_points) == ("1001", "我写的")
    kids = selectors.products(shop=shop).get(item_id="1002")
    assert kids.selling_point_list == ["防漏", "轻"]


def test_a_bad_item_file_imports_nothing(shop: Shop) -> None:
    data = "商品ID,商品名称\n1,杯子\n2,\n".encode()
    with pytest.raises(InvalidInput) as caught:
        services.products_import(shop=shop, data=data, filename="items.csv", acting_user=None)
    assert caught.value.details == ["items.csv 第3行 B列：商品名称为空"]
    assert not selectors.products(shop=shop).exists()
