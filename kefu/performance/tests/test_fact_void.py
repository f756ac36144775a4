"""A withdrawn (voided) fact: hidden from the readers, kept for the audit, restored by
recording its reference again; the fines a locked month made from it stay until a correction
run reverses them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.models import Fact, FineEntry
from kefu.performance.selectors import live_fines
from kefu.performance.services import facts_withdraw
from kefu.performance.tests.db import OCTOBER, record, team

pytestmark = pytest.mark.django_db


def test_a_voided_fact_is_not_priced_and_a_locked_month_keeps_its_fine_until_corrected():
    t = team()
    mei = t.agents[0]
    first = record(t, mei, "handover_missing", 3, ref="handover_missing:a")
    second = record(t, mei, "handover_missing", 10, ref="handover_missing:b")
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    assert [f.amount for f in FineEntry.objects.order_by("id")] == [
        Decimal("30.00"),
        Decimal("50.00"),
    ]
    voided = facts_withdraw(
        shop=t.shop,
        source="attendance",
        refs=["handover_missing:a"],
        reason="交接本已补写",
        acting_user=t.supervisor,
    )
    assert [f.pk for f in voided] == [first.pk]
    assert list(Fact.objects.values_list("pk", flat=True)) == [second.pk]
    stored = Fact.all_objects.get(pk=first.pk)
    assert (stored.void_reason, stored.voided_by) == ("交接本已补写", t.supervisor)
    # The locked month is unchanged ...
    assert FineEntry.objects.count() == 2
    # ... until the correction run: the second missing handover is now the first (30 yuan).
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor, correction=True)
    assert [(f.amount, f.fact_ids) for f in live_fines(shop=t.shop, month=Month(2026, 10))] == [
        (Decimal("30.00"), [second.pk]),
    ]


def test_recording_the_reference_again_restores_the_fact_with_what_it_says_now():
    t = team()
    mei = t.agents[0]
    late = record(t, mei, "late", 3, ref="shift:x:in", minutes=25)
    facts_withdraw(shop=t.shop, source="attendance", refs=["shift:x:in"], reason="重新判定")
    assert Fact.objects.count() == 0
    again = record(t, mei, "late", 3, ref="shift:x:in", minutes=4)
    assert again.pk == late.pk
    assert (again.minutes, again.voided_at, again.void_reason) == (4, None, "")
    assert Fact.objects.get().minutes == 4
    # Recording a live fact again changes nothing.
    assert record(t, mei, "late", 3, ref="shift:x:in", minutes=9).minutes == 4


def test_withdrawing_by_dates_and_prefix_keeps_what_is_listed():
    t = team()
    mei = t.agents[0]
    a = record(t, mei, "late", 3, ref="shift:a:in", minutes=5)
    record(t, mei, "late", 4, ref="shift:b:in", minutes=5)
    record(t, mei, "late", 20, ref="shift:c:in", minutes=5)
    record(t, mei, "full_attendance", 5, ref="month:x")
    gone = facts_withdraw(
        shop=t.shop,
        source="attendance",
        start=date(2026, 10, 1),
        end=date(2026, 10, 10),
        ref_prefix="shift:",
        keep=["shift:a:in"],
        reason="r",
    )
    assert [f.source_ref for f in gone] == ["shift:b:in"]
    assert sorted(Fact.objects.values_list("source_ref", flat=True)) == [
        "month:x",
        "shift:a:in",
        "shift:c:in",
    ]
    assert a.pk in Fact.objects.values_list("pk", flat=True)
