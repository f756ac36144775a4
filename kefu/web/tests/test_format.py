"""The money and date filters: exact outputs in Chinese (and the English variant)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from kefu.web.templatetags.kefu_format import cn_date, cn_datetime, cn_month, cny, minutes

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "¥1,234.50"),
        (Decimal("1234.505"), "¥1,234.51"),  # half up, to the cent
        (Decimal("-88"), "-¥88.00"),
        (Decimal("0"), "¥0.00"),
        (1234567, "¥1,234,567.00"),
        ("30", "¥30.00"),
        (None, ""),
    ],
)
def test_cny(value, shown):
    assert cny(value) == shown


def test_cny_refuses_floats():
    with pytest.raises(TypeError):
        cny(12.5)  # type: ignore[arg-type]


def test_cn_month_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert [cn_month("2026-10"), cn_month(dt.date(2027, 3, 6)), cn_month(None)] == [
            "2026年10月",
            "2027年3月",
            "",
        ]
    with translation.override("en"):
        assert cn_month("2026-10") == "Oct 2026"


def test_cn_date_of_a_date():
    assert cn_date(dt.date(2026, 11, 22)) == "2026年11月22日"
    assert cn_date(dt.date(2027, 3, 6)) == "2027年3月6日"
    assert cn_date(None) == ""


def test_cn_date_of_a_utc_datetime_is_the_local_day():
    # 18:30 UTC on the 22nd is 02:30 on the 23rd in Shanghai.
    late = dt.datetime(2026, 11, 22, 18, 30, tzinfo=UTC)
    with timezone.override("Asia/Shanghai"):
        assert cn_date(late) == "2026年11月23日"
    assert cn_date(late, "UTC") == "2026年11月22日"


def test_cn_datetime_shows_utc_in_shanghai():
    moment = dt.datetime(2026, 11, 22, 12, 5, tzinfo=UTC)
    with timezone.override("Asia/Shanghai"):
        assert cn_datetime(moment) == "2026年11月22日 20:05"
    assert cn_datetime(moment, "UTC") == "2026年11月22日 12:05"
    assert cn_datetime(moment, "America/New_York") == "2026年11月22日 07:05"


def test_filters_in_a_template_use_the_current_zone():
    template = Template(
        "{% load kefu_format %}{{ amount|cny }} {{ day|cn_date }} {{ at|cn_datetime }}"
    )
    context = Context(
        {
            "amount": Decimal("1234.50"),
            "day": dt.date(2026, 11, 22),
            "at": dt.datetime(2026, 11, 22, 16, 0, tzinfo=UTC),
        }
    )
    with timezone.override("Asia/Shanghai"):
        assert template.render(context) == "¥1,234.50 2026年11月22日 2026年11月23日 00:00"


def test_english_dates():
    with translation.override("en"):
        assert cn_date(dt.date(2026, 11, 22)) == "Nov 22, 2026"
        assert cn_datetime(dt.datetime(2026, 11, 22, 12, 5, tzinfo=UTC), "UTC") == (
            "Nov 22, 2026 12:05"
        )
        assert cny(Decimal("1234.5")) == "¥1,234.50"


def test_minutes():
    assert minutes(dt.timedelta(hours=0.25)) == 15
    assert minutes(None) == 0
