from __future__ import annotations

import io

import openpyxl
import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry, Shop
from kefu.core.tests.factories import ShopFactory
from kefu.knowledge import selectors, services
from kefu.knowledge.limits import phrase_max_length
from kefu.knowledge.models import QuickPhrase
from kefu.knowledge.phrase_file import (
    PhraseFileError,
    read_phrase_file,
    write_csv,
    write_xlsx,
)
from kefu.knowledge.starter import STARTER_PHRASES

pytestmark = pytest.mark.django_db


def test_create_keeps_version_one_and_audits(shop: Shop) -> None:
    phrase, warnings = services.quick_phrase_create(
        shop=shop, group="议价", text="亲，这已经是活动价了哦", shortcut="jia", acting_user=None
    )
    assert (phrase.version, phrase.group, phrase.shortcut, warnings) == (1, "议价", "jia", [])
    assert list(phrase.versions.values_list("number", "text")) == [(1, "亲，这已经是活动价了哦")]
    assert AuditEntry.objects.get(object_type="quick_phrase").action == "quick_phrase.create"


def test_a_banned_phrase_cannot_be_saved(shop: Shop) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.quick_phrase_create(
            shop=shop, group="缺货", text="亲，这款我们不补货了", acting_user=None
        )
    assert caught.value.message == (
        "短语未保存：含有禁用语“我们不补货了”（S4.3 §5.5 严禁使用以下词语），请改说“工厂不再生产了”"
    )
    assert not QuickPhrase.objects.exists()


def test_a_single_character_reply_cannot_be_saved(shop: Shop) -> None:
    with pytest.raises(InvalidInput, match="不能只回复一个字"):
        services.quick_phrase_create(shop=shop, group="确认", text="嗯", acting_user=None)


def test_avoid_words_save_with_a_warning(shop: Shop) -> None:
    _, warnings = services.quick_phrase_create(
        shop=shop, group="解释", text="亲，但是这个颜色您可能不喜欢哦", acting_user=None
    )
    assert len(warnings) == 1
    assert warnings[0].startswith("含有应避免的负面用语“但是”")


def test_a_phrase_over_the_platform_limit_is_refused(shop: Shop) -> None:
    limit = phrase_max_length(shop.platform)
    text = "您" * (limit + 1)
    with pytest.raises(InvalidInput) as caught:
        services.quick_phrase_create(shop=shop, group="问候", text=text, acting_user=None)
    assert caught.value.message == (
        f"短语未保存：短语有 {limit + 1} 个字，超过了天猫快捷短语的上限 {limit} 字"
    )


def test_update_makes_a_new_version_and_an_unchanged_save_does_not(shop: Shop) -> None:
    phrase, _ = services.quick_phrase_create(
        shop=shop, group="物流", text="亲，48小时内发货哦", acting_user=None
    )
    services.quick_phrase_update(
        shop=shop, phrase=phrase, group="物流", text="亲，24小时内发货哦", acting_user=None
    )
    services.quick_phrase_update(
        shop=shop, phrase=phrase, group="物流", text="亲，24小时内发货哦", acting_user=None
    )
    phrase.refresh_from_db()
    assert phrase.version == 2
    assert list(phrase.versions.values_list("number", "text")) == [
        (2, "亲，24小时内发货哦"),
        (1, "亲，48小时内发货哦"),
    ]


def test_seed_adds_the_starting_set_once(shop: Shop) -> None:
    assert services.quick_phrases_seed(shop=shop, acting_user=None) == len(STARTER_PHRASES)
    assert services.quick_phrases_seed(shop=shop, acting_user=None) == 0
    groups = dict(selectors.phrase_groups(shop=shop))
    assert {"问候", "议价", "物流", "缺货", "售后", "告别"} <= groups.keys()


def test_usage_counts_most_and_never_used(shop: Shop) -> None:
    a, _ = services.quick_phrase_create(shop=shop, group="问候", text="您好呀", acting_user=None)
    b, _ = services.quick_phrase_create(shop=shop, group="告别", text="再见哦亲", acting_user=None)
    c, _ = services.quick_phrase_create(shop=shop, group="感谢", text="谢谢您", acting_user=None)
    for phrase in (a, b, b):
        services.quick_phrase_use(shop=shop, phrase=phrase, acting_user=None)
    usage = selectors.phrase_usage(shop=shop)
    assert [(p.text, p.use_count) for p in usage.most_used] == [("再见哦亲", 2), ("您好呀", 1)]
    assert [p.text for p in usage.never_used] == [c.text]


def _csv(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.encode(encoding)


def test_import_csv_maps_columns_by_name_and_is_idempotent(shop: Shop) -> None:
    data = _csv(
        "快捷编码,短语 ,分组\njia,亲，已经是最低价了哦,议价\n\nfh,亲，今天发货哦,物流\n", "gbk"
    )
    assert services.quick_phrases_import(
        shop=shop, data=data, filename="千牛.csv", acting_user=None
    ) == (2, 0)
    assert services.quick_phrases_import(
        shop=shop, data=data, filename="千牛.csv", acting_user=None
    ) == (0, 0)
    phrase = QuickPhrase.objects.get(shortcut="jia")
    assert (phrase.group, phrase.text) == ("议价", "亲，已经是最低价了哦")


def test_import_same_shortcut_updates_as_a_new_version(shop: Shop) -> None:
    services.quick_phrase_create(
        shop=shop, group="议价", shortcut="jia", text="亲，已经是最低价了哦", acting_user=None
    )
    data = _csv("分组,短语,快捷编码\n议价,亲，领券再减5元哦,jia\n")
    assert services.quick_phrases_import(
        shop=shop, data=data, filename="a.csv", acting_user=None
    ) == (0, 1)
    assert QuickPhrase.objects.get().version == 2


def test_a_bad_file_imports_nothing_and_names_line_and_column(shop: Shop) -> None:
    data = _csv("分组,快捷编码,内容\n问候,hi,您好\n缺货,qh,亲，我们不补货了\n,x,亲，好的\n")
    with pytest.raises(InvalidInput) as caught:
        services.quick_phrases_import(shop=shop, data=data, filename="p.csv", acting_user=None)
    assert caught.value.details == ["p.csv 第4行 A列：分组为空"]
    data = _csv("分组,快捷编码,内容\n问候,hi,您好\n缺货,qh,亲，我们不补货了\n")
    with pytest.raises(InvalidInput) as caught:
        services.quick_phrases_import(shop=shop, data=data, filename="p.csv", acting_user=None)
    assert caught.value.details == [
        "p.csv 第3行 C列：含有禁用语“我们不补货了”（S4.3 §5.5 严禁使用以下词语），"
        "请改说“工厂不再生产了”"
    ]
    assert not QuickPhrase.objects.exists()


def test_a_file_without_the_phrase_column_is_refused() -> None:
    with pytest.raises(PhraseFileError) as caught:
        read_phrase_file("分组,备注\n问候,x\n".encode(), "p.csv")
    assert caught.value.problems == ["p.csv 第1行：缺少列 “短语”（表头为：分组、备注）"]
    with pytest.raises(PhraseFileError, match=r"只支持 \.xlsx 和 \.csv"):
        read_phrase_file(b"x", "p.xls")


def test_xlsx_round_trip(shop: Shop) -> None:
    rows = [("问候", "hi", "您好"), ("物流", "", '="12345"单号已发您了哦')]
    parsed = read_phrase_file(write_xlsx(rows), "out.xlsx")
    assert [(r.group, r.shortcut, r.text) for r in parsed] == [
        ("问候", "hi", "您好"),
        ("物流", "", '="12345"单号已发您了哦'),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows))).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["分组", "快捷编码", "短语"]
    assert write_csv(rows[:1]).decode("utf-8-sig") == "分组,快捷编码,短语\r\n问候,hi,您好\r\n"


def test_selectors_are_scoped_by_shop(shop: Shop) -> None:
    other = ShopFactory()
    services.quick_phrase_create(shop=other, group="问候", text="您好", acting_user=None)
    assert list(selectors.phrases(shop=shop)) == []
    assert selectors.phrase_export_rows(shop=other) == [("问候", "", "您好")]
