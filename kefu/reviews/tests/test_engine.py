"""The pure review rules: severity on fixed texts, the call windows, the study on real reviews,
and the file readers' errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kefu.orders.importers.reading import ImportFileError
from kefu.reviews.engine.files import read_review_table, read_top_json
from kefu.reviews.engine.severity import DEFAULT_RULES, grade, rules_from_policy
from kefu.reviews.engine.study import measure, read_labelled_csv
from kefu.reviews.engine.windows import in_call_window, next_call_time

SH = ZoneInfo("Asia/Shanghai")
WINDOWS = [("09:30", "10:30"), ("16:00", "18:00")]


@pytest.mark.parametrize(
    ("rating", "text", "level", "matched"),
    [
        ("bad", "还行吧", "severe", ("rating:bad",)),
        ("good", "收到的是假货，和专柜的不一样", "severe", ("假货",)),
        ("neutral", "质量问题严重，穿一次就开线", "severe", ("质量问题",)),
        ("neutral", "东西可以，就是物流慢", "medium", ("rating:neutral", "物流慢")),
        ("good", "客服态度差，问了半天不理人", "medium", ("态度差", "不理人")),
        ("good", "颜色和图片差不多，很满意", None, ()),
        ("good", "不好意思，晚了才评价，东西很好", None, ()),
        (None, "包装太差，盒子都压扁了", "medium", ("包装太差", "太差")),
        (None, "盒子压坏了", "severe", ("坏了",)),
    ],
)
def test_severity_of_fixed_texts(
    rating: str | None, text: str, level: str | None, matched: tuple[str, ...]
) -> None:
    result = grade(rating=rating, texts=[text])
    assert result.level == level
    assert result.matched == matched


def test_the_follow_up_review_counts_too() -> None:
    assert grade(rating="good", texts=["挺好的", "用了一周就坏了"]).level == "severe"


def test_policy_rules_with_their_own_keywords_replace_the_default_of_their_level() -> None:
    rules = rules_from_policy(
        [
            ("severe", ["bad"], ["退货"], "差评或要退货"),
            ("medium", [], [], "中评"),  # nothing given: the default medium rule
        ]
    )
    assert rules[0].keywords == ("退货",)
    assert rules[1].keywords == DEFAULT_RULES[1].keywords
    assert rules[1].label == "中评"
    assert grade(rating="good", texts=["我要退货"], rules=rules).level == "severe"
    assert grade(rating="good", texts=["假货"], rules=rules).level is None  # severe list replaced
    assert rules_from_policy([]) == DEFAULT_RULES


def test_measured_on_the_labelled_reviews(shared_data: Path) -> None:
    """The figures recorded in docs/reviews.md: 1,200 reviews, 600 negative (label 0)."""
    rows = read_labelled_csv(shared_data / "reviews_zh" / "online_shopping_10_cats_sample.csv")
    assert len(rows) == 1200
    assert sum(negative for _text, negative in rows) == 600
    study = measure(rows)
    assert (study.true_positive, study.false_positive) == (393, 87)
    assert (study.false_negative, study.true_negative) == (207, 513)
    assert study.precision == pytest.approx(0.81875)  # 393 / 480
    assert study.recall == pytest.approx(0.655)  # 393 / 600


@pytest.mark.parametrize(
    ("local", "due"),
    [
        (dt.datetime(2026, 3, 2, 10, 0), dt.datetime(2026, 3, 2, 10, 0)),  # inside: now
        (dt.datetime(2026, 3, 2, 9, 29), dt.datetime(2026, 3, 2, 9, 30)),
        (dt.datetime(2026, 3, 2, 10, 30), dt.datetime(2026, 3, 2, 16, 0)),  # window end is open
        (dt.datetime(2026, 3, 2, 12, 15), dt.datetime(2026, 3, 2, 16, 0)),
        (dt.datetime(2026, 3, 2, 17, 59), dt.datetime(2026, 3, 2, 17, 59)),
        (dt.datetime(2026, 3, 2, 18, 0), dt.datetime(2026, 3, 3, 9, 30)),
        (dt.datetime(2026, 3, 2, 23, 40), dt.datetime(2026, 3, 3, 9, 30)),
    ],
)
def test_next_call_time(local: dt.datetime, due: dt.datetime) -> None:
    after = local.replace(tzinfo=SH).astimezone(dt.UTC)
    result = next_call_time(after=after, windows=WINDOWS, tz="Asia/Shanghai")
    assert result == due.replace(tzinfo=SH)
    assert in_call_window(at=after, windows=WINDOWS, tz="Asia/Shanghai") == (local == due)


def test_no_windows_means_any_time() -> None:
    moment = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    assert next_call_time(after=moment, windows=[], tz="Asia/Shanghai") == moment


def test_top_json_errors_name_the_record_and_field() -> None:
    data = (
        b'{"traderates_get_response": {"trade_rates": {"trade_rate": ['
        b'{"tid": 1, "oid": 2, "role": "buyer", "nick": "a", "result": "bad",'
        b' "created": "2026-03-01 10:00:00"},'
        b'{"tid": 3, "role": "buyer", "nick": "b", "result": "terrible",'
        b' "created": "2026-03-01 10:00:00"}]}}}'
    )
    with pytest.raises(ImportFileError) as caught:
        read_top_json(data, "rates.json")
    assert str(caught.value) == (
        "rates.json「result」列：第 2 条评价的评价结果 'terrible' 不是 good/neutral/bad"
    )


def test_csv_errors_name_file_line_and_column() -> None:
    data = "订单号,买家,评价结果,评价时间\n1001,小王,差评,2026-03-01 10:00\n1002,小李,差评,昨天\n"
    with pytest.raises(ImportFileError) as caught:
        read_review_table(data.encode(), "reviews.csv")
    assert str(caught.value) == "reviews.csv 第 3 行「评价时间」列：不是日期时间：'昨天'"
    with pytest.raises(ImportFileError) as missing:
        read_review_table("订单号,买家\n1,a\n".encode(), "short.csv")
    assert str(missing.value) == (
        "short.csv 第 1 行：缺少列：评价结果、评价时间（表头第 1 行，按列名识别）"
    )
