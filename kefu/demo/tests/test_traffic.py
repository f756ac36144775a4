"""The demo traffic generator: determinism, exact counts, shape, rota, and the export formats.

Pure Python: no database. Exact values are for seed 7 at scale 0.25 (a quarter of a small shop,
about 60 consulting buyers a day) in May 2026; they were checked to be plausible before being
pinned, and they change only when the generator's behaviour changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from kefu.demo.traffic import (
    Direction,
    FlagColour,
    Intent,
    Item,
    Kind,
    Platform,
    ShopProfile,
    Traffic,
    generate_month,
)
from kefu.demo.traffic.behaviour import INTENT_FIELDS
from kefu.demo.traffic.exports import write_pdd_orders, write_qianniu_chat, write_taobao_orders
from kefu.demo.traffic.phrases import AGENT, PhraseBook, load_ecd_utterances
from kefu.demo.traffic.profiles import CATALOGUE, ShiftRota, demo_profile

SEED = 7
SCALE = 0.25
ZONE = ZoneInfo("Asia/Shanghai")

# The 54 names of the generation-B 订单报表 as the pandas reader in FORMATS.md 1a lists them
# (six with a trailing space). Typed out here, not imported, so the test checks the writer.
TAOBAO_HEADER = "".join(
    (
        "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,",
        "返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,",
        "运送方式,联系电话 ,联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,",
        "物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,",
        "发票抬头,是否手机订单,分阶段订单信息,特权订金订单id,是否上传合同照片,是否上传小票,",
        "是否代付,定金排名,修改后的sku,修改后的收货地址,异常信息,天猫卡券抵扣,集分宝抵扣,",
        "是否是O2O交易,新零售交易类型,新零售导购门店名称,新零售导购门店id,新零售发货门店名称,",
        "新零售发货门店id,退款金额,预约门店,确认收货时间,打款商家金额,含应开票给个人的个人红包",
    )
).split(",")
QIANNIU_STAMP = re.compile(r"(\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2})$")  # the public parser's


@pytest.fixture(scope="module")
def traffic() -> Traffic:
    return generate_month(demo_profile(scale=SCALE, seed=SEED))


def _write_all(t: Traffic, folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, writer in (
        ("qianniu.txt", write_qianniu_chat),
        ("ExportOrderList.csv", write_taobao_orders),
        ("pdd.csv", write_pdd_orders),
    ):
        writer(t, folder / name)
        digests[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return digests


def _rounds(messages: pl.DataFrame) -> pl.DataFrame:
    """首问首答 rounds from the messages alone: a round starts at a buyer message that is not
    already waiting and ends at the next human reply; auto-replies and notes do not count."""
    rel = (
        messages.filter(pl.col("kind") == "human")
        .sort("session_id", "message_id")
        .with_columns(buyer=pl.col("direction") == "buyer")
    )
    waiting = pl.col("buyer").shift(1).over("session_id").fill_null(False)
    rel = rel.with_columns(rid=(pl.col("buyer") & ~waiting).cum_sum().over("session_id"))
    return (
        rel.group_by("session_id", "rid")
        .agg(
            start=pl.col("time").filter("buyer").min(),
            reply=pl.col("time").filter(~pl.col("buyer")).min(),
        )
        .with_columns(seconds=(pl.col("reply") - pl.col("start")).dt.total_seconds())
    )


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(
    traffic: Traffic, tmp_path: Path
) -> None:
    first = _write_all(traffic, tmp_path / "a")
    again = _write_all(generate_month(demo_profile(scale=SCALE, seed=SEED)), tmp_path / "b")
    other = _write_all(generate_month(demo_profile(scale=SCALE, seed=SEED + 1)), tmp_path / "c")
    assert first == again
    assert all(first[name] != other[name] for name in first)


# --- exact counts --------------------------------------------------------------------------


def test_exact_counts_for_the_fixed_seed(traffic: Traffic) -> None:
    t = traffic
    assert (t.sessions.height, t.messages.height, t.orders.height, t.order_lines.height) == (
        1811,
        14094,
        1514,
        1753,
    )
    kinds = dict(
        t.messages.group_by("direction", "kind")
        .len()
        .select(pl.concat_str("direction", "kind", separator="/"), "len")
        .iter_rows()
    )
    assert kinds == {
        "buyer/human": 5941,
        "agent/human": 6662,
        "agent/auto_reply": 1331,
        "agent/system": 127,
        "agent/transfer": 33,
    }
    intents = dict(t.sessions.group_by("intent").len().iter_rows())
    assert intents == {
        "ask_leave": 1003,
        "order_pay_now": 247,
        "order_pay_later": 123,
        "order_never_pay": 80,
        "order_next_day": 73,
        "after_sales": 285,
    }
    statuses = dict(t.orders.group_by("status").len().iter_rows())
    assert statuses == {
        "TRADE_FINISHED": 1123,
        "WAIT_BUYER_CONFIRM_GOODS": 221,
        "WAIT_SELLER_SEND_GOODS": 40,
        "WAIT_BUYER_PAY": 11,
        "TRADE_CLOSED_BY_TAOBAO": 81,
        "TRADE_CLOSED": 38,
    }
    # Asking and leaving is the majority; about a quarter of the chats end in an order.
    assert intents["ask_leave"] / t.sessions.height == pytest.approx(0.554, abs=0.001)
    assert t.sessions["order_no"].is_not_null().sum() == 497


def test_unpaid_orders_and_unanswered_rounds_are_a_plausible_few(traffic: Traffic) -> None:
    in_month = traffic.orders.filter(pl.col("created") >= dt.datetime(2026, 5, 1, tzinfo=ZONE))
    unpaid = in_month["paid"].null_count()
    assert (in_month.height, unpaid) == (1026, 92)
    assert unpaid / in_month.height == pytest.approx(0.0897, abs=0.0001)  # the 16:00 queue
    rounds = _rounds(traffic.messages)
    never = rounds["reply"].null_count()
    assert (rounds.height, never) == (4049, 111)
    assert never / rounds.height == pytest.approx(0.0274, abs=0.0001)
    # The sessions' own counters agree with what the messages show.
    assert traffic.sessions["rounds"].sum() == rounds.height
    assert traffic.sessions["answered_rounds"].sum() == rounds.height - never


def test_response_times_have_a_realistic_median_and_a_long_tail(traffic: Traffic) -> None:
    answered = _rounds(traffic.messages).drop_nulls("reply")
    stats = answered.select(
        median=pl.col("seconds").median(),
        fastest=pl.col("seconds").min(),
        over_2_min=(pl.col("seconds") > 120).sum(),
        over_30_min=(pl.col("seconds") > 1800).sum(),
    ).row(0, named=True)
    assert stats == {"median": 32.0, "fastest": 3, "over_2_min": 395, "over_30_min": 127}
    by_hour = answered.with_columns(h=pl.col("start").dt.hour())
    evening = by_hour.filter(pl.col("h").is_between(20, 21))["seconds"].median()
    morning = by_hour.filter(pl.col("h").is_between(8, 9))["seconds"].median()
    assert (evening, morning) == (34.0, 29.0)  # slower at the evening peak


# --- shape ---------------------------------------------------------------------------------


def test_arrivals_follow_the_day_curve(traffic: Traffic) -> None:
    per_hour = (
        traffic.sessions.group_by(pl.col("started").dt.hour().alias("h")).len().sort("h")["len"]
    ).to_list()
    assert per_hour[:12] == [66, 26, 10, 6, 9, 8, 16, 45, 62, 86, 116, 121]
    assert per_hour[12:] == [106, 95, 102, 98, 97, 105, 76, 96, 160, 114, 110, 81]
    evening_peak = max(per_hour[20:23])
    assert evening_peak >= 15 * per_hour[3]  # 20:00-21:00 against 03:00-04:00
    assert max(per_hour[10:12]) > per_hour[13]  # a morning peak before the afternoon plateau
    assert per_hour[20] == max(per_hour)
    daily = traffic.sessions.group_by(pl.col("started").dt.weekday().alias("wd")).agg(
        per_day=pl.len() / pl.col("started").dt.date().n_unique()
    )
    weekend = daily.filter(pl.col("wd") >= 6)["per_day"].mean()
    weekday = daily.filter(pl.col("wd") <= 5)["per_day"].mean()
    assert isinstance(weekend, float) and isinstance(weekday, float)
    assert weekend > weekday


def test_every_human_reply_comes_from_a_sub_account_on_duty(traffic: Traffic) -> None:
    profile = traffic.profile
    on_duty = pl.DataFrame(
        [
            (profile.month.first_day + dt.timedelta(days=d), h, nick)
            for d in range(profile.month.days)
            for h, nicks in enumerate(
                profile.on_duty(profile.month.first_day + dt.timedelta(days=d))
            )
            for nick in nicks
        ],
        schema={"date": pl.Date, "hour": pl.Int8, "sub_account": pl.String},
        orient="row",
    )
    replies = traffic.messages.filter(
        (pl.col("direction") == "agent") & (pl.col("kind") == "human")
    ).with_columns(date=pl.col("time").dt.date(), hour=pl.col("time").dt.hour())
    off_duty = replies.join(on_duty, on=["date", "hour", "sub_account"], how="anti")
    assert off_duty.height == 0
    assert replies["sub_account"].n_unique() == len(profile.sub_accounts)
    # Nobody works 00-08 in this rota: night buyers are answered from 08:00 or never.
    assert replies.filter(pl.col("hour") < 8).height == 0
    # A transfer (shift change or hand-over) names both agents, as Qianniu's `A --> B` line
    # does, and the agent who takes the buyer over is on duty.
    transfers = traffic.messages.filter(pl.col("kind") == "transfer").with_columns(
        date=pl.col("time").dt.date(), hour=pl.col("time").dt.hour()
    )
    assert transfers.height == 33
    assert (transfers["sub_account"] + " --> " + transfers["transfer_to"]).equals(transfers["text"])
    receiving = on_duty.rename({"sub_account": "transfer_to"})
    assert transfers.join(receiving, on=["date", "hour", "transfer_to"], how="anti").height == 0


def test_auto_replies_are_never_counted_as_human(traffic: Traffic) -> None:
    m = traffic.messages
    auto = m.filter(pl.col("kind") == "auto_reply")
    assert set(auto["direction"].unique()) == {Direction.AGENT.value}
    first = m.group_by("session_id").agg(first=pl.col("time").min())
    lag = auto.join(first, on="session_id").select(
        (pl.col("time") - pl.col("first")).dt.total_seconds()
    )
    assert lag.to_series().max() == 3  # within seconds of the first buyer message
    auto_texts = {
        p.replace("{shop}", traffic.profile.shop_name)
        for k in ("auto_welcome", "auto_offline")
        for p in AGENT[k]
    }
    assert set(auto["text"].unique()) == auto_texts
    assert m.filter((pl.col("kind") == "human") & pl.col("text").is_in(auto_texts)).height == 0
    # A buyer who only got the auto-reply is an unanswered buyer.
    only_auto = traffic.sessions.join(auto.select("session_id").unique(), on="session_id").filter(
        pl.col("answered_rounds") == 0
    )
    assert only_auto.height == 78
    # At night the auto-reply comes from the main account (nobody is logged in).
    night = auto.filter(pl.col("time").dt.hour() < 8)
    assert set(night["sub_account"].unique()) == {traffic.profile.main_account}


def test_orders_money_and_links(traffic: Traffic) -> None:
    o, s = traffic.orders, traffic.sessions
    assert o.schema["amount"] == pl.Decimal(12, 2) and o.schema["refund"] == pl.Decimal(12, 2)
    first = next(traffic.iter_orders())
    assert isinstance(first.amount, Decimal) and isinstance(first.lines[0].price, Decimal)
    assert first.created.tzinfo is not None
    assert o["order_no"].str.contains(r"^\d{19}$").all() and o["order_no"].n_unique() == o.height
    assert o.filter(pl.col("paid") < pl.col("created")).height == 0
    # Unpaid orders wait for payment during 72 hours, then close; all of them are this month's.
    unpaid = o.filter(pl.col("paid").is_null())
    assert unpaid.height == 92
    assert set(unpaid["status"]) == {"WAIT_BUYER_PAY", "TRADE_CLOSED_BY_TAOBAO"}
    waiting = unpaid.filter(pl.col("status") == "WAIT_BUYER_PAY")
    assert waiting["created"].min() >= traffic.as_of - dt.timedelta(hours=72)  # type: ignore[operator]
    # Goods total minus the coupon is what the buyer pays; a coupon never takes more than 30 %.
    goods = traffic.order_lines.group_by("order_no").agg(
        goods=(pl.col("price") * pl.col("quantity")).sum()
    )
    joined = o.join(goods, on="order_no")
    assert joined.filter(pl.col("amount") > pl.col("goods")).height == 0
    assert joined.filter(pl.col("amount") < pl.col("goods") * Decimal("0.7")).height == 0
    assert o["amount"].sum() == Decimal("371265.38")
    # Flagged orders carry the agent's name (for the commission) or an instruction_name memo.
    names = {n.split(":", 1)[1] for n in traffic.profile.sub_accounts}
    flagged = o.filter(pl.col("flag") > FlagColour.NONE)
    memo_names = flagged["note"].str.split("_").list.last()
    assert set(memo_names.unique()) <= names | {"南京仓", "广州仓"}
    assert "发邮政快递_" in "".join(flagged["note"].to_list())
    # After-sales buyers ask about an earlier paid order of their own.
    after = s.filter(pl.col("intent") == "after_sales").join(
        o.select(
            pl.col("order_no").alias("after_sales_of"), pl.col("buyer").alias("owner"), "paid"
        ),
        on="after_sales_of",
    )
    assert after.height == 285
    assert (
        after.filter(
            (pl.col("owner") != pl.col("buyer")) | (pl.col("paid") >= pl.col("started"))
        ).height
        == 0
    )
    # An order that followed a chat was created after the chat began.
    chats = s.drop_nulls("order_no").join(o.select("order_no", "created"), on="order_no")
    assert chats.filter(pl.col("created") < pl.col("started")).height == 0


# --- exports -------------------------------------------------------------------------------


def test_taobao_export_has_the_documented_header_and_quirks(
    traffic: Traffic, tmp_path: Path, shared_data: Path
) -> None:
    path = tmp_path / "ExportOrderList.csv"
    assert write_taobao_orders(traffic, path) == traffic.orders.height
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GB18030, as the platform writes it
    rows = list(csv.reader(io.StringIO(raw.decode("gb18030"), newline="")))
    assert rows[0] == TAOBAO_HEADER
    assert len(rows) == traffic.orders.height + 1
    # Cross-check with FORMATS.md itself: generation A's names plus B's additions, and exactly
    # the documented names with a trailing space.
    doc = (shared_data / "FORMATS.md").read_text(encoding="utf-8")
    gen_a = doc.split("**Generation A")[1].split("```")[1].split()
    plus = doc.split("It has the Generation A columns plus:")[1].split("\n")[1]
    added = [n.strip() for span in re.findall(r"`([^`]+)`", plus) for n in re.split(r"[,…]", span)]
    assert {h.strip() for h in rows[0]} == set(gen_a) | {n for n in added if n}
    trailing = re.findall(
        r"`([^`]+ )`", doc.split("Several names keep a **trailing space**")[1].split("\n")[0]
    )
    assert [h for h in rows[0] if h.endswith(" ")] == trailing
    col = {h: i for i, h in enumerate(rows[0])}
    first = rows[1]
    assert first[col["订单编号"]].startswith('="') and first[col["订单编号"]].endswith('"')
    assert b'\r\n="' in raw  # written raw, not CSV-quoted, so Excel keeps the 19 digits
    assert all(
        r[col["联系手机"]].startswith("'") and "****" in r[col["联系手机"]] for r in rows[1:]
    )
    assert all(
        r[col["买家服务费"]] == "0元" and r[col["打款商家金额"]].endswith("元") for r in rows[1:]
    )
    assert not any(r[col["买家实际支付金额"]].endswith("元") for r in rows[1:])
    assert all(r[col["收货人姓名"]].endswith("**") for r in rows[1:])
    statuses = {r[col["订单状态"]] for r in rows[1:]}
    assert statuses == {
        "等待买家付款",
        "买家已付款，等待卖家发货",
        "卖家已发货，等待买家确认",
        "交易成功",
        "交易关闭",
    }
    unpaid = [r for r in rows[1:] if r[col["订单状态"]] == "等待买家付款"]
    assert unpaid and all(r[col["订单付款时间 "]] == "" for r in unpaid)


def test_pdd_export_has_the_documented_header_and_order_numbers(
    tmp_path: Path, shared_data: Path
) -> None:
    t = generate_month(demo_profile(scale=0.1, seed=SEED, platform=Platform.PDD))
    path = tmp_path / "pdd.csv"
    assert write_pdd_orders(t, path) == t.order_lines.height == t.orders.height  # one goods line
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    doc = (shared_data / "FORMATS.md").read_text(encoding="utf-8")
    block = doc.split("**Pinduoduo")[1].split("```")[1].replace("\n", "")
    documented: list[str] = []
    for name in block.split(","):
        if name.startswith("…"):  # FORMATS.md abbreviates 商品二级类目..商品四级类目
            documented += ["商品二级类目", "商品三级类目", "商品四级类目"]
        elif name.strip():
            documented.append(name.strip())
    assert [h.strip() for h in rows[0]] == documented
    assert [h for h in rows[0] if h != h.strip()] == [" 用户购买手机号"]  # the documented space
    col = {h: i for i, h in enumerate(rows[0])}
    nos = [r[col["订单号"]] for r in rows[1:]]
    assert all(re.fullmatch(r"\d{6}-\d{15}", n) for n in nos)
    created = t.orders.select(pl.col("created").dt.strftime("%y%m%d"))["created"].to_list()
    assert [n[:6] for n in nos] == created
    assert {r[col["售后状态"]] for r in rows[1:]} <= {"无售后或售后取消", "退款成功"}
    assert any(r[col["订单状态"]] == "已收货" and r[col["省"]] == "****" for r in rows[1:])
    blank = [r for r in rows[1:] if r[col["支付时间"]] and not r[col["订单成交时间"]]]
    assert len(blank) == 48  # the rows importers must date from the order number
    assert not any(r[col["用户实付金额(元)"]].endswith("元") for r in rows[1:])


def test_qianniu_chat_record_parses_like_the_public_parser_reads_it(
    traffic: Traffic, tmp_path: Path
) -> None:
    path = tmp_path / "qianniu.txt"
    assert write_qianniu_chat(traffic, path) == traffic.messages.height
    text = path.read_bytes().decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    lines = text.split("\r\n")
    shop = traffic.profile.shop_name
    headers, transfers, system = 0, 0, 0
    senders: set[str] = set()
    for line in lines:
        stamp = QIANNIU_STAMP.search(line)
        if stamp and " --> " in line:
            transfers += 1
        elif stamp:
            headers += 1
            senders.add(line[: stamp.start()].strip())
        elif line == "原因：【离线留言自动分配】":
            system += 1
    kinds = dict(traffic.messages.group_by("kind").len().iter_rows())
    assert (transfers, system) == (kinds["transfer"], kinds["system"])
    assert headers == kinds["human"] + kinds["auto_reply"]
    buyers = {s for s in senders if s != shop and not s.startswith(f"{shop}:")}
    assert buyers == set(traffic.sessions["buyer"].unique())
    assert lines[0].startswith(traffic.messages["buyer"][0] + " 2026-5-1 ")
    assert text.count("[自动回复]") == kinds["auto_reply"]


# --- inputs and the optional real corpus ----------------------------------------------------


def test_profiles_refuse_bad_inputs() -> None:
    with pytest.raises(TypeError, match="Decimal string"):
        Item("X", "x", 9.9)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at most 2 decimals"):
        Item("X", "x", "9.999")
    profile = demo_profile(scale=SCALE, seed=SEED)
    with pytest.raises(ValueError, match="not of the form"):
        replace(profile, sub_accounts=("小美",))
    stranger = ShiftRota(("乐乐家居旗舰店:陌生人",))
    with pytest.raises(ValueError, match="not a sub-account"):
        generate_month(replace(profile, rota=stranger))
    assert isinstance(profile, ShopProfile) and profile.catalogue == CATALOGUE


def test_a_dict_rota_works_and_only_its_agents_answer() -> None:
    """A rota given as a dict: one agent on 2 May 09-18h, nobody on the other days."""
    profile = demo_profile(scale=SCALE, seed=SEED)
    xiaomei = profile.sub_accounts[0]
    hours = [[xiaomei] if 9 <= h < 18 else [] for h in range(24)]
    t = generate_month(replace(profile, rota={dt.date(2026, 5, 2): hours}))
    replies = t.messages.filter((pl.col("direction") == "agent") & (pl.col("kind") == "human"))
    assert set(replies["sub_account"]) == {xiaomei}
    assert set(replies["time"].dt.date()) == {dt.date(2026, 5, 2)}
    assert replies["time"].dt.hour().is_between(9, 17).all()
    assert replies.height == 277
    assert tuple(i.value for i in Intent) == INTENT_FIELDS  # Behaviour's shares follow Intent


def test_real_ecd_utterances_can_be_mixed_in(shared_data: Path) -> None:
    buyer, agent = load_ecd_utterances(shared_data / "ecd_taobao" / "ECD_sample_train.tsv")
    assert (len(buyer), len(agent)) == (383, 343)
    assert "快递发那家公" in buyer  # word segmentation removed, text kept
    profile = replace(
        demo_profile(scale=0.1, seed=SEED), phrases=PhraseBook().with_corpus(buyer, agent)
    )
    t = generate_month(profile)
    said = t.messages.filter(pl.col("kind") == "human")
    from_corpus = said.filter(pl.col("text").is_in(set(buyer) | set(agent)))
    assert from_corpus.height == 821
    assert next(t.iter_messages()).kind is Kind.HUMAN
    session = next(t.iter_sessions())
    assert session.intent in set(Intent) and session.started.tzinfo is not None
