"""Punch-machine files: the accepted shapes and encodings, and every bad input refused whole."""

from __future__ import annotations

import pytest

from kefu.attendance.models import Punch, PunchImport
from kefu.attendance.services import punch_clock, punch_import
from kefu.attendance.tests.support import agent_in, at, freeze, shop_under
from kefu.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

ZKTECO = (
    "部门,姓名,登记号码,日期时间,机器号\n"
    "客服部,小美,1001,2026-01-05 07:58:12,1\n"
    "客服部,小美,1001,2026-01-05 17:31:40,1\n"
    "客服部,阿强,1002,2026/01/05 08:12,1\n"
)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    freeze(monkeypatch, at(20, 12))
    shop = shop_under("taobao-s1")
    mei = agent_in(shop, "小美", "1001")
    qiang = agent_in(shop, "阿强", "1002")
    return shop, mei, qiang


def test_a_zkteco_export_in_gbk_is_imported_and_a_second_import_adds_nothing(world) -> None:  # type: ignore[no-untyped-def]
    shop, _, _ = world
    batch = punch_import(
        shop=shop, data=ZKTECO.encode("gbk"), filename="1月考勤.csv", acting_user=None
    )
    assert (batch.rows, batch.added, batch.encoding) == (3, 3, "gb18030")
    stored = [(p.agent.name, p.at, p.device, p.source) for p in Punch.objects.order_by("at")]
    assert stored == [
        ("小美", at(5, 7, 58, 12), "1", "import"),
        ("阿强", at(5, 8, 12), "1", "import"),
        ("小美", at(5, 17, 31, 40), "1", "import"),
    ]
    assert Punch.objects.get(at=at(5, 7, 58, 12)).raw["登记号码"] == "1001"
    again = punch_import(
        shop=shop, data=ZKTECO.encode("gbk"), filename="1月考勤.csv", acting_user=None
    )
    assert (again.rows, again.added, Punch.objects.count()) == (3, 0, 3)


def test_a_dingtalk_export_with_bom_date_and_time_columns_and_directions(world) -> None:  # type: ignore[no-untyped-def]
    shop, mei, _ = world
    text = (
        "姓名,工号,考勤日期,打卡时间,打卡类型\n"
        "小美,1001,26-01-06 星期二,08:01,上班\n"
        "小美,1001,26-01-06 星期二,17:30,下班\n"
    )
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    batch = punch_import(shop=shop, data=data, filename="钉钉.csv", acting_user=None)
    assert (batch.added, batch.encoding) == (2, "utf-8-sig")
    assert [(p.at, p.direction) for p in Punch.objects.filter(agent=mei)] == [
        (at(6, 8, 1), "in"),
        (at(6, 17, 30), "out"),
    ]


def test_gb18030_names_and_a_name_only_file(world) -> None:  # type: ignore[no-untyped-def]
    shop, _, _ = world
    agent_in(shop, "𠮷祥")  # a GB18030 four-byte character, no badge
    text = "姓名,打卡时间\n𠮷祥,2026-01-07 08:00:00\n"
    batch = punch_import(
        shop=shop, data=text.encode("gb18030"), filename="names.csv", acting_user=None
    )
    assert batch.added == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "工号,打卡时间\n1001,2026-01-05 08:00:00\n9999,2026-01-05 08:01:00\n",
            "bad.csv 第 3 行「工号」列：未知的考勤工号 '9999'",
        ),
        (
            "工号,打卡时间\n1001,2026-01-05 08:00:00\n1001,2026-01-05 08:00:00\n",
            "bad.csv 第 3 行「打卡时间」列：重复打卡：与第 2 行相隔不到 60 秒",
        ),
        (
            "工号,打卡时间\n1001,2026-01-05 08:00:10\n1001,2026-01-05 08:00:50\n",
            "bad.csv 第 3 行「打卡时间」列：打卡时间重叠：与第 2 行相隔不到 60 秒",
        ),
        (
            "工号,打卡时间\n1001,2026-01-05 8点\n",
            "bad.csv 第 2 行「打卡时间」列：不是时间：'8点'",
        ),
        (
            "工号,打卡时间\n1001,2026-13-05 08:00\n",
            "bad.csv 第 2 行「打卡时间」列：不是日期：'2026-13-05'",
        ),
        (
            "工号,考勤日期,时间\n1001,2026-01-05,25:00\n",
            "bad.csv 第 2 行「时间」列：不是时间：'25:00'",
        ),
        (
            "工号,打卡时间\n1001,2026-02-05 08:00:00\n",
            "bad.csv 第 2 行「打卡时间」列：打卡时间 2026-02-05 08:00:00 在将来",
        ),
        ("工号,备注\n1001,x\n", "bad.csv 第 1 行：缺少打卡时间列"),
        ("日期时间,机器号\n2026-01-05 08:00,1\n", "bad.csv 第 1 行：缺少工号列"),
        (
            "姓名,打卡时间\n无名氏,2026-01-05 08:00\n",
            "bad.csv 第 2 行「姓名」列：本店没有叫「无名氏」的客服",
        ),
    ],
)
def test_each_bad_input_names_file_line_and_column_and_saves_nothing(
    world,
    text: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    shop, _, _ = world
    with pytest.raises(InvalidInput) as caught:
        punch_import(shop=shop, data=text.encode("utf-8"), filename="bad.csv", acting_user=None)
    assert caught.value.message.startswith(message), caught.value.message
    assert (Punch.objects.count(), PunchImport.objects.count()) == (0, 0)


def test_a_punch_overlapping_a_stored_web_punch_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    shop, mei, _ = world
    punch_clock(shop=shop, agent=mei, direction="in", acting_user=None, at=at(5, 7, 59, 30))
    text = "工号,打卡时间\n1002,2026-01-05 08:00:00\n1001,2026-01-05 08:00:00\n"
    with pytest.raises(InvalidInput) as caught:
        punch_import(shop=shop, data=text.encode(), filename="machine.csv", acting_user=None)
    assert caught.value.message == (
        "machine.csv 第 3 行「打卡时间」列：打卡时间重叠：小美 在 2026-01-05 07:59:30 已有打卡"
        "（网页打卡），相隔不到 60 秒"
    )
    assert Punch.objects.count() == 1


def test_a_badge_of_another_shop_is_unknown(world) -> None:  # type: ignore[no-untyped-def]
    shop, _, _ = world
    other = shop_under("taobao-s1")
    agent_in(other, "外人", "2001")
    with pytest.raises(InvalidInput, match="未知的考勤工号 '2001'"):
        punch_import(
            shop=shop,
            data="工号,打卡时间\n2001,2026-01-05 08:00\n".encode(),
            filename="x.csv",
            acting_user=None,
        )


def test_web_clock_in_twice_within_a_minute_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    shop, mei, _ = world
    punch_clock(shop=shop, agent=mei, direction="in", acting_user=None, at=at(5, 8))
    with pytest.raises(InvalidInput, match="60 秒内已经打过卡（08:00:00）"):
        punch_clock(shop=shop, agent=mei, direction="in", acting_user=None, at=at(5, 8, 0, 40))
    assert Punch.objects.count() == 1
