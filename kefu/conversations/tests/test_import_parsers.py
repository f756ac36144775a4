"""The pure parsers: every Qianniu text variant of FORMATS.md 1c, the web-history JSON, the
generic CSV / JSON Lines, the 客服绩效 report, and bad files (file and line named)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tracemalloc
import zoneinfo
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from kefu.conversations.importers.generic import parse_csv, parse_jsonl, parse_qianniu_json
from kefu.conversations.importers.qianniu_text import parse_qianniu_text
from kefu.conversations.importers.report import parse_report
from kefu.conversations.importers.rows import ChatRow, ParseError
from kefu.conversations.tests.chat_files import SHOP, VARIANTS, demo_chat, demo_traffic, ecd_chat

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def text_rows(text: str, encoding: str = "utf-8", **kwargs: object) -> list[ChatRow]:
    stream = io.BytesIO(text.encode(encoding))
    return list(parse_qianniu_text("chat.txt", stream, tz=TZ, **kwargs))  # type: ignore[arg-type]


def at(day: int, h: int, m: int, s: int) -> dt.datetime:
    return dt.datetime(2026, 5, day, h, m, s, tzinfo=TZ)


def test_demo_generator_file_reads_back_exactly(tmp_path: Path) -> None:
    path = demo_chat(tmp_path / "qn.txt")
    with path.open("rb") as stream:
        rows = list(parse_qianniu_text(path.name, stream, tz=TZ))
    traffic = demo_traffic()
    main = traffic.profile.main_account
    key = ["buyer", "sender", "direction", "kind", "time", "text", "holder", "transfer_to"]
    expected = (
        traffic.messages.filter(pl.col("kind") != "system")
        .with_columns(
            sender=pl.when(pl.col("direction") == "buyer")
            .then(pl.col("buyer"))
            .otherwise(pl.col("sub_account").fill_null(main)),
            holder=pl.col("sub_account").fill_null(main),
            time=pl.col("time").dt.strftime("%F %T"),
        )
        .select(key)
        .rows()
    )
    got = [
        (
            r.buyer,
            r.sender,
            r.direction,
            r.kind,
            f"{r.at:%F %T}",
            r.text,
            r.holder,
            r.transfer_to or None,
        )
        for r in rows
        if r.kind != "system"
    ]
    # Exactly three buyer messages are never answered by anyone that day: the generator routed
    # them to an agent, but the text has no trace of it, so the importer says nobody held them.
    unrouted = sorted(set(expected) - set(got))
    assert sorted((r[2], r[6]) for r in unrouted) == [
        ("buyer", f"{SHOP}:小美"),
        ("buyer", f"{SHOP}:阿杰"),
        ("buyer", f"{SHOP}:阿杰"),
    ]
    assert sorted(set(got) - set(expected)) == [(*r[:6], "", None) for r in unrouted]
    assert sorted(got) == sorted((*r[:6], "", None) if r in unrouted else r for r in expected)
    assert len(rows) == traffic.messages.height == 11359


def test_every_variant_of_the_window_copy() -> None:
    rows = text_rows(VARIANTS, shop_names={SHOP})
    got = [(r.line, r.buyer, r.sender, r.direction, r.kind, r.at, r.text, r.holder) for r in rows]
    xm, aj = f"{SHOP}:小美", f"{SHOP}:阿杰"
    assert got == [
        (1, "买家甲", "", "agent", "system", at(2, 9, 0, 1), "当前用户来自 商品详情页", SHOP),
        (2, "买家甲", "买家甲", "buyer", "human", at(2, 9, 0, 1),
         "你好 这个杯子保温吗\nhttps://item.taobao.com/item.htm?id=1", SHOP),
        (5, "买家甲", SHOP, "agent", "auto_reply", at(2, 9, 0, 3), "欢迎光临", SHOP),
        (8, "买家甲", xm, "agent", "human", at(2, 9, 1, 0), "保温的亲\n\n12小时都可以", xm),
        (13, "买家甲", "买家甲", "buyer", "recall", at(2, 9, 1, 0), "买家甲 撤回了一条消息", xm),
        (14, "买家甲", xm, "agent", "transfer", at(2, 9, 2, 0), f"{xm} --> {aj}", xm),
        (15, "买家甲", aj, "agent", "human", at(2, 9, 3, 0), "我来为您服务", aj),
        # After a blank line the shop writes first: that message waits for the next buyer.
        (20, "买家乙", aj, "agent", "human", at(2, 9, 10, 0), "亲，昨天的订单已发货", aj),
        (22, "买家乙", "买家乙", "buyer", "human", at(2, 9, 11, 0), "好的", aj),
        (24, "买家乙", "买家乙", "buyer", "human", at(2, 9, 11, 0), "好的", aj),
    ]  # fmt: skip
    assert [r.transfer_to for r in rows][5] == aj
    assert [r.seq for r in rows][-2:] == [0, 1]  # same buyer, second and text: numbered


def test_an_arrow_in_a_buyer_message_is_text() -> None:
    rows = text_rows("买家 2026-5-1 9:00:00\r\n原价 --> 现价\r\n")
    assert [(r.kind, r.text) for r in rows] == [("human", "原价 --> 现价")]


def test_shop_name_is_learnt_from_sub_account_prefixes() -> None:
    # No hint: `乐乐家居旗舰店` is known to be the shop because `乐乐家居旗舰店:小美` appears.
    rows = text_rows(VARIANTS)
    assert {r.buyer for r in rows} == {"买家甲", "买家乙"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_real_dialogues_in_each_encoding(shared_data: Path, encoding: str) -> None:
    rows = text_rows(ecd_chat(shared_data, 20), encoding)
    assert len({r.buyer for r in rows}) == 20
    assert rows[0].buyer == "ecd买家0" and rows[0].direction == "buyer"
    assert rows[0].text == "我去不早说发韵达能到我家那儿我就能拿到"
    assert rows[1].sender == f"{SHOP}:小美" and rows[1].text == "韵达不发的哦"
    assert rows[1].at == dt.datetime(2026, 3, 1, 10, 1, tzinfo=TZ)
    assert {r.holder for r in rows} == {f"{SHOP}:小美"}


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", 0, "the file is empty"),
        (b"\r\n  \r\n", 0, "the file is empty"),
        ("买家 2026-5-1 9:00:00\r\n在吗\r\n".encode() + b"\xff\xfe\xfa\r\n", 3, "neither UTF-8"),
        (
            "买家 2026-5-1 9:00:00\r\n".encode() + "在吗\r\n".encode() * 20_000 + b"\xff\xfe\r\n",
            20_002,
            "not valid utf-8 text",
        ),
        (b"\xff\xff\xff abc\r\n", 1, "neither UTF-8 nor GBK"),
        (
            "买家 2026-5-1 9:00:00\r\n在吗\r\n买家 2026-13-1 9:00:00\r\n".encode(),
            3,
            "does not parse",
        ),
        ("买家 2026-5-1 25:00:00\r\n在吗\r\n".encode(), 1, "does not parse"),
        ("你好\r\n买家 2026-5-1 9:00:00\r\n".encode(), 1, "before the first"),
        (f"{SHOP}:小美 2026-5-1 9:00:00\r\n在的\r\n".encode(), 1, "no buyer"),
    ],
)
def test_bad_text_names_file_and_line(content: bytes, line: int, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        list(parse_qianniu_text("坏.txt", io.BytesIO(content), tz=TZ))
    assert caught.value.name == "坏.txt"
    assert caught.value.line == line
    assert reason in caught.value.reason


def test_a_large_file_is_read_in_bounded_memory() -> None:
    def nick(i: int) -> str:
        return f"{SHOP}:小美" if i % 2 else f"买家{i // 2 % 50}"

    block = "".join(
        f"{nick(i)} 2026-5-{1 + i // 10000} {i // 3600 % 24}:{i // 60 % 60}:{i % 60}\r\n"
        f"消息{i} {'很长的一段话' * 20}\r\n"
        for i in range(20_000)
    ).encode()
    tracemalloc.start()
    count = sum(1 for _ in parse_qianniu_text("big.txt", io.BytesIO(block), tz=TZ))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert len(block) > 5_000_000
    # A tenth of the file: buyers wait in memory only until the shop answers.
    assert peak < 1_000_000


def test_a_line_over_one_megabyte_is_refused() -> None:
    content = "买家 2026-5-1 9:00:00\r\n".encode() + b"x" * (2 << 20)
    with pytest.raises(ParseError, match=r"big\.txt: line 2: line longer than 1 MB"):
        list(parse_qianniu_text("big.txt", io.BytesIO(content), tz=TZ))


def test_qianniu_web_history_json() -> None:
    document = {
        "user": "买家甲",
        "exportTime": "2026-05-03 10:00:00",
        "count": 4,
        "chats": [
            {"date": "2026-05-02", "time": "09:00:00", "sender": "买家甲", "text": "在吗"},
            {"date": "2026-05-02", "time": "09:00:02", "sender": SHOP, "text": "[自动回复]您好"},
            {"date": "2026-05-02", "time": "09:00:30", "sender": f"{SHOP}:小美", "text": "在的"},
            {"date": "2026-05-02", "time": "09:01:00", "sender": "买家甲", "text": "",
             "imgUrl": "https://img.alicdn.com/1.jpg"},
        ],
    }  # fmt: skip
    stream = io.BytesIO(json.dumps(document, ensure_ascii=False).encode())
    rows = list(parse_qianniu_json("h.json", stream, tz=TZ))
    assert [(r.line, r.direction, r.kind, r.text, r.holder) for r in rows] == [
        (1, "buyer", "human", "在吗", SHOP),
        (2, "agent", "auto_reply", "您好", SHOP),
        (3, "agent", "human", "在的", f"{SHOP}:小美"),
        (4, "buyer", "human", "[图片] https://img.alicdn.com/1.jpg", f"{SHOP}:小美"),
    ]
    bad = dict(document, chats=[{"date": "2026-05-02", "time": "9点", "sender": "x"}])
    with pytest.raises(ParseError, match=r"h\.json: line 1: time '2026-05-02 9点'"):
        list(parse_qianniu_json("h.json", io.BytesIO(json.dumps(bad).encode()), tz=TZ))


GENERIC_CSV = """shop,buyer,sender,direction,time,text,kind
店,b1,b1,buyer,2026-05-02 09:00:00,"在吗
多行",
店,b1,店:小美,agent,2026-05-02T09:00:40+08:00,在的,human
店,b1,店,agent,2026-05-02 09:00:41,欢迎,auto_reply
"""


def test_generic_csv_and_jsonl() -> None:
    rows = list(parse_csv("m.csv", io.BytesIO(GENERIC_CSV.encode("gbk")), tz=TZ, shop_keys={"店"}))
    assert [(r.line, r.direction, r.kind, r.at, r.text, r.holder) for r in rows] == [
        (3, "buyer", "human", at(2, 9, 0, 0), "在吗\n多行", "店:小美"),
        (4, "agent", "human", at(2, 9, 0, 40), "在的", "店:小美"),
        (5, "agent", "auto_reply", at(2, 9, 0, 41), "欢迎", "店"),
    ]
    lines = "\n".join(
        json.dumps(
            {"buyer": r.buyer, "sender": r.sender, "direction": r.direction, "kind": r.kind,
             "time": r.at.isoformat(), "text": r.text}, ensure_ascii=False
        )
        for r in rows
    )  # fmt: skip
    again = list(parse_jsonl("m.jsonl", io.BytesIO(lines.encode()), tz=TZ))
    assert [(r.text, r.at, r.holder) for r in again] == [(r.text, r.at, r.holder) for r in rows]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("buyer,sender,time\nb,b,2026-05-02 09:00:00\n", "line 1: missing column(s): direction"),
        ("buyer,sender,direction,time\nb,b,买家,2026-05-02 09:00:00\nb,b,x,2026-05-02\n",
         "line 3: direction 'x'"),
        ("shop,buyer,sender,direction,time\n别的店,b,b,buyer,2026-05-02 09:00:00\n",
         "line 2: shop '别的店' is not the shop importing"),
        ("buyer,sender,direction,time,kind\nb,b,buyer,2026-05-02 09:00:00,auto_reply\n",
         "line 2: a buyer message cannot be of kind 'auto_reply'"),
    ],
)  # fmt: skip
def test_generic_csv_errors(content: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(f"m.csv: {message}")):
        list(parse_csv("m.csv", io.BytesIO(content.encode()), tz=TZ, shop_keys={"店"}))


def test_performance_report() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["自定义报表"])
    sheet.append(["客服昵称", "接待人数", "首次响应(秒)", "回复率", "询单->最终付款转化率"])
    sheet.append([f"{SHOP}:小美", 120, 12.5, "98.50%", "延迟统计"])
    sheet.append(["汇总", 200, 10, "99%", "延迟统计"])
    sheet.append(["均值", 100, 10, "99%", "延迟统计"])
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    name = "自定义报表_人均日接入_下单优先判定_2026-04-20至2026-04-20.xlsx"
    rows = list(parse_report(name, stream))
    day = dt.date(2026, 4, 20)
    assert [(r.line, r.date_from, r.date_to, r.nickname, r.metric, r.value, r.pending)
            for r in rows] == [
        (3, day, day, f"{SHOP}:小美", "接待人数", Decimal("120"), False),
        (3, day, day, f"{SHOP}:小美", "首次响应(秒)", Decimal("12.5"), False),
        (3, day, day, f"{SHOP}:小美", "回复率", Decimal("98.50"), False),
        (3, day, day, f"{SHOP}:小美", "询单->最终付款转化率", None, True),
    ]  # fmt: skip
    with pytest.raises(ParseError, match=r"x\.xlsx: not an xlsx workbook"):
        list(parse_report("x.xlsx", io.BytesIO(b"not a zip")))
