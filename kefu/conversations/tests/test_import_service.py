"""Storing chat records: the demo month end to end, idempotence, atomicity, unknown nicknames
and their binding (dirty days), the KPI engine's frame, the 客服绩效 report, transcripts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from kefu.conversations import selectors
from kefu.conversations.kpi.inputs import validate_messages
from kefu.conversations.models import (
    Buyer,
    ChatAccount,
    Conversation,
    DirtyDay,
    ImportBatch,
    Message,
    PlatformStat,
)
from kefu.conversations.services import (
    chat_account_bind,
    chat_file_import,
    chat_rows_import,
)
from kefu.conversations.tests.chat_files import SHOP, VARIANTS, demo_chat, ecd_chat
from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry, Shop
from kefu.core.tests.factories import AssignmentFactory, ShopFactory, SubAccountFactory

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory(name=SHOP)
    for name in ("小美", "晓雯", "阿杰"):  # 慧兰 stays unknown
        SubAccountFactory(shop=shop, agent=AssignmentFactory(shop=shop).agent,
                          nickname=f"{SHOP}:{name}")  # fmt: skip
    return shop


def load(shop: Shop, name: str, content: bytes) -> ImportBatch:
    return chat_file_import(shop=shop, name=name, stream=io.BytesIO(content), acting_user=None)


def test_the_demo_month_imports_once_and_feeds_the_kpi_engine(shop: Shop, tmp_path: Path) -> None:
    path = demo_chat(tmp_path / "qn.txt")
    with path.open("rb") as stream:
        batch = chat_file_import(shop=shop, name="qn.txt", stream=stream, acting_user=None)
    assert (batch.rows, batch.added) == (11359, 11359)
    assert Message.objects.filter(shop=shop).count() == 11359
    first = Conversation.objects.get(shop=shop, buyer__nickname="蓝色蔓岩1004", day="2026-05-01")
    assert first.message_count == 4
    assert first.first_at == dt.datetime(2026, 5, 1, 0, 52, 2, tzinfo=TZ)
    assert first.last_at == dt.datetime(2026, 5, 1, 8, 2, 12, tzinfo=TZ)
    # 慧兰 has no agent: listed to bind, her messages kept.
    assert [a.nickname for a in selectors.unbound_accounts(shop=shop)] == [f"{SHOP}:慧兰"]
    assert ChatAccount.objects.get(shop=shop, nickname=SHOP).is_main
    xiaomei = ChatAccount.objects.get(shop=shop, nickname=f"{SHOP}:小美")
    assert (xiaomei.first_seen_at, xiaomei.last_seen_at) == (
        Message.objects.filter(holder=xiaomei).earliest("at").at,
        Message.objects.filter(holder=xiaomei).latest("at").at,
    )

    start = dt.datetime(2026, 5, 1, tzinfo=TZ)
    frame = selectors.message_frame(shop=shop, start=start, end=start + dt.timedelta(days=31))
    frame = validate_messages(frame)
    assert frame.height == 11359
    huilan = Message.objects.filter(shop=shop, holder__nickname=f"{SHOP}:慧兰").count()
    left = Message.objects.filter(shop=shop, holder__nickname=SHOP).count()
    unheld = Message.objects.filter(shop=shop, holder=None).count()
    assert frame.get_column("agent_id").null_count() == huilan + left + unheld
    assert (
        frame.get_column("transfer_to").drop_nulls().len()
        == 33 - Message.objects.filter(shop=shop, transfer_to__nickname=f"{SHOP}:慧兰").count()
    )

    with path.open("rb") as stream:
        again = chat_file_import(shop=shop, name="qn.txt", stream=stream, acting_user=None)
    assert (again.rows, again.added) == (11359, 0)
    assert again.sha256 == batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    evidence = selectors.conversation_at(
        shop=shop, buyer_id=first.buyer_id, at=dt.datetime(2026, 4, 30, 16, 52, 2, tzinfo=dt.UTC)
    )
    assert evidence == first
    assert Message.objects.filter(shop=shop).count() == 11359
    assert AuditEntry.objects.filter(shop=shop, action="import").count() == 2


def test_binding_an_unknown_nickname_marks_its_days(shop: Shop) -> None:
    load(shop, "v.txt", VARIANTS.replace("阿杰", "新人").encode())
    account = ChatAccount.objects.get(shop=shop, nickname=f"{SHOP}:新人")
    assert list(selectors.unbound_accounts(shop=shop)) == [account]
    agent = AssignmentFactory(shop=shop).agent
    assert chat_account_bind(shop=shop, account=account, agent=agent, acting_user=None) == 1
    assert list(DirtyDay.objects.filter(shop=shop).values_list("day", flat=True)) == [
        dt.date(2026, 5, 2)
    ]
    assert list(selectors.unbound_accounts(shop=shop)) == []
    start = dt.datetime(2026, 5, 2, tzinfo=TZ)
    frame = selectors.message_frame(shop=shop, start=start, end=start + dt.timedelta(days=1))
    held = frame.filter(frame["agent_id"] == agent.pk)
    assert held.height == 4  # his message to 买家甲, to 买家乙, and 买家乙's two replies


def test_a_bad_file_imports_nothing_and_names_the_line(shop: Shop) -> None:
    good = "买家 2026-5-1 9:00:00\r\n在吗\r\n"
    with pytest.raises(InvalidInput) as caught:
        load(shop, "坏.txt", (good + "买家 2026-5-1 9:00:61\r\n嗯\r\n").encode())
    assert caught.value.message == (
        "坏.txt: line 3: time '2026-5-1 9:00:61' does not parse (expected YYYY-M-D H:MM:SS)"
    )
    with pytest.raises(InvalidInput, match=r"空\.txt: the file is empty"):
        load(shop, "空.txt", b"")
    assert not Message.objects.exists()
    assert not Buyer.objects.exists()
    assert not ImportBatch.objects.exists()


def test_the_same_dialogues_in_another_encoding_add_nothing(shop: Shop, shared_data: Path) -> None:
    text = ecd_chat(shared_data, 30)
    first = load(shop, "ecd-utf8.txt", text.encode("utf-8-sig"))
    second = load(shop, "ecd-gbk.txt", text.encode("gbk"))
    assert first.added == first.rows > 100
    assert (second.rows, second.added) == (first.rows, 0)
    assert Conversation.objects.filter(shop=shop).count() == 30


def test_api_batches_are_idempotent_and_atomic(shop: Shop) -> None:
    records = [
        {"buyer": "b", "sender": "b", "direction": "buyer", "time": "2026-05-02T09:00:00+08:00",
         "text": "在吗"},
        {"buyer": "b", "sender": f"{SHOP}:小美", "direction": "agent",
         "time": "2026-05-02T09:00:30+08:00", "text": "在的"},
    ]  # fmt: skip
    batch = chat_rows_import(shop=shop, records=records, source="erp", acting_user=None)
    assert (batch.rows, batch.added) == (2, 2)
    again = chat_rows_import(shop=shop, records=records, source="erp", acting_user=None)
    assert again.added == 0
    bad = [*records, {**records[0], "direction": "x"}]
    with pytest.raises(InvalidInput, match="erp: line 3: direction 'x'"):
        chat_rows_import(shop=shop, records=bad, source="erp", acting_user=None)
    assert Message.objects.count() == 2


def test_transcript_marks_rounds_and_waits(shop: Shop) -> None:
    load(shop, "v.txt", VARIANTS.encode())
    conversation = Conversation.objects.get(shop=shop, buyer__nickname="买家甲")
    result = selectors.transcript(shop=shop, conversation=conversation)
    marks = [(line.message.kind, line.round_no, line.wait) for line in result.lines]
    assert marks == [
        ("system", None, None),
        ("human", 1, None),  # the buyer's question opens round 1
        ("auto_reply", None, None),  # an auto-reply does not end it
        ("human", None, dt.timedelta(seconds=59)),
        ("recall", None, None),
        ("transfer", None, None),
        ("human", None, None),
    ]
    assert (result.rounds, result.answered) == (1, 1)


def test_performance_report_is_stored_and_reimported_in_place(shop: Shop) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "店铺", "账户名", "接待人数", "旺旺回复率"])
    sheet.append(["2026-04-20", SHOP, f"{SHOP}:小美", 120, "延迟统计"])
    sheet.append(["2026-04-20", SHOP, "汇总", 120, "99%"])
    stream = io.BytesIO()
    book.save(stream)
    batch = load(shop, "report.xlsx", stream.getvalue())
    again = load(shop, "report.xlsx", stream.getvalue())
    assert (batch.added, again.added) == (2, 2)
    stats = PlatformStat.objects.filter(shop=shop).order_by("metric")
    assert [(s.nickname, s.metric, s.value, s.pending) for s in stats] == [
        (f"{SHOP}:小美", "接待人数", Decimal("120.0000"), False),
        (f"{SHOP}:小美", "旺旺回复率", None, True),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "history.json",
            '{"user": "b", "exportTime": "", "count": 2, "chats": ['
            '{"date": "2026-05-02", "time": "09:00:00", "sender": "b", "text": "在吗"},'
            f'{{"date": "2026-05-02", "time": "09:00:30", "sender": "{SHOP}:小美",'
            ' "text": "在的"}]}',
        ),
        (
            "messages.jsonl",
            '{"buyer": "b", "sender": "b", "direction": "buyer", "time": "2026-05-02 09:00:00",'
            ' "text": "在吗"}\n'
            f'{{"buyer": "b", "sender": "{SHOP}:小美", "direction": "agent",'
            ' "time": "2026-05-02 09:00:30", "text": "在的"}\n',
        ),
        (
            "messages.csv",
            "buyer,sender,direction,time,text\n"
            "b,b,buyer,2026-05-02 09:00:00,在吗\n"
            f"b,{SHOP}:小美,agent,2026-05-02 09:00:30,在的\n",
        ),
    ],
)
def test_each_format_lands_the_same_messages(shop: Shop, name: str, content: str) -> None:
    batch = load(shop, name, content.encode())
    assert (batch.rows, batch.added) == (2, 2)
    got = Message.objects.filter(shop=shop).values_list("sender", "direction", "holder__nickname")
    assert list(got) == [("b", "buyer", f"{SHOP}:小美"), (f"{SHOP}:小美", "agent", f"{SHOP}:小美")]
    # The same two messages from the Qianniu window copy add nothing.
    text = f"b 2026-5-2 9:00:00\r\n在吗\r\n{SHOP}:小美 2026-5-2 9:00:30\r\n在的\r\n"
    assert load(shop, "window.txt", text.encode()).added == 0
