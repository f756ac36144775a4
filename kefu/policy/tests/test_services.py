"""Adopting and changing a shop's policy: versions, audit entries, effective dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import AuditEntry
from kefu.core.tests.factories import ShopFactory, UserFactory
from kefu.policy.documents import load_preset, policy_to_data, set_path
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import ListFine
from kefu.policy.selectors import policy_audit, policy_in_force, policy_versions
from kefu.policy.services import policy_adopt, policy_adopt_preset, policy_set_value

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def counts(shop) -> tuple[int, int]:
    return (
        PolicyVersion.objects.filter(shop=shop).count(),
        AuditEntry.objects.filter(shop=shop).count(),
    )


def test_first_adoption_stores_version_one_with_one_audit_entry():
    shop, user = ShopFactory(), UserFactory()
    version = policy_adopt_preset(
        shop=shop, preset="taobao-s4-fines", effective_from=JAN, acting_user=user
    )
    assert (version.number, version.effective_from, version.preset) == (1, JAN, "taobao-s4-fines")
    assert version.created_by == user
    assert version.note == "选用制度模板 taobao-s4-fines"
    assert version.document == policy_to_data(load_preset("taobao-s4-fines"))
    entries = list(policy_audit(shop=shop))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.actor, entry.path, entry.old_value) == (
        "policy.adopt",
        user,
        "",
        None,
    )
    assert entry.object_id == str(version.pk)
    assert entry.new_value == {
        "number": 1,
        "effective_from": "2025-01-01",
        "preset": "taobao-s4-fines",
        "title": "淘宝客服管理制度（罚款制）",
    }


def test_a_change_writes_one_audit_entry_per_changed_path():
    shop, user = ShopFactory(), UserFactory()
    policy_adopt_preset(shop=shop, preset="taobao-s4-fines", effective_from=JAN, acting_user=user)
    data = policy_to_data(load_preset("taobao-s4-fines"))
    data = set_path(data, "fines.rules.0.amounts.0", "40")
    data = set_path(data, "weekly_summary.due.time", "18:00")
    version = policy_adopt(
        shop=shop, document=data, effective_from=FEB, acting_user=user, note="adjust"
    )
    assert version.number == 2
    changes = [
        (e.action, e.path, e.old_value, e.new_value, e.note, e.actor)
        for e in AuditEntry.objects.filter(shop=shop, object_id=str(version.pk)).order_by("id")
    ]
    assert changes == [
        ("policy.change", "weekly_summary.due.time", "17:00", "18:00", "adjust", user),
        (
            "policy.change",
            "fines.rules.0.amounts",
            ["30", "50", "80"],
            ["40", "50", "80"],
            "adjust",
            user,
        ),
    ]


def test_policy_set_value_changes_one_path():
    shop, user = ShopFactory(), UserFactory()
    policy_adopt_preset(shop=shop, preset="taobao-s1", effective_from=JAN, acting_user=user)
    version = policy_set_value(
        shop=shop,
        path="pay.base.by_level.junior",
        value=Decimal("1600"),
        effective_from=FEB,
        acting_user=user,
    )
    assert (version.number, version.preset) == (2, "taobao-s1")
    assert version.note == "pay.base.by_level.junior = '1600'"
    in_force = policy_in_force(shop=shop, on=FEB)
    assert in_force.policy.pay.base is not None
    assert in_force.policy.pay.base.by_level["junior"] == Decimal("1600")
    entry = AuditEntry.objects.get(shop=shop, object_id=str(version.pk))
    assert (entry.path, entry.old_value, entry.new_value) == (
        "pay.base.by_level.junior",
        "1500",
        "1600",
    )


def test_a_failing_change_changes_nothing():
    shop, user = ShopFactory(), UserFactory()
    policy_adopt_preset(shop=shop, preset="taobao-s4-fines", effective_from=JAN, acting_user=user)
    before = counts(shop)
    with pytest.raises(InvalidInput) as caught:
        policy_set_value(
            shop=shop,
            path="schedule.shifts.late.crosses_midnight",
            value=False,
            effective_from=FEB,
            acting_user=user,
        )
    assert caught.value.message == "制度内容有误，共1处，未保存任何更改"
    assert caught.value.details == [
        "schedule.shifts.late.parts.0: ends before it starts (16:00-01:00); "
        "a shift that runs past midnight needs crosses_midnight: true"
    ]
    data = set_path(policy_to_data(load_preset("taobao-s4-fines")), "pay.rounding.to", 0.01)
    with pytest.raises(InvalidInput) as caught:
        policy_adopt(shop=shop, document=data, effective_from=FEB, acting_user=user)
    assert caught.value.details == [
        'pay.rounding.to: money must be written as a string, e.g. "30"; '
        "a float such as 0.01 is not exact"
    ]
    with pytest.raises(InvalidInput) as caught:
        policy_set_value(
            shop=shop, path="fines.rules.20.amount", value="5", effective_from=FEB, acting_user=user
        )
    assert caught.value.details == ["fines.rules.20.amount: there is no 20 under fines.rules"]
    assert counts(shop) == before == (1, 1)


def test_unknown_preset_is_invalid_input():
    shop = ShopFactory()
    with pytest.raises(InvalidInput) as caught:
        policy_adopt_preset(shop=shop, preset="nope", effective_from=JAN, acting_user=None)
    assert caught.value.message.startswith("unknown preset 'nope'; known presets: dongyao-s4")
    assert counts(shop) == (0, 0)


def test_policy_in_force_picks_by_effective_date_then_number():
    shop = ShopFactory()
    policy_adopt_preset(shop=shop, preset="taobao-s4-fines", effective_from=JAN, acting_user=None)
    policy_adopt_preset(shop=shop, preset="pdd-s3", effective_from=MAR, acting_user=None)
    # Adopted later but effective earlier than v2: in force in February only.
    policy_adopt_preset(shop=shop, preset="taobao-s1", effective_from=FEB, acting_user=None)
    assert policy_in_force(shop=shop, on=dt.date(2025, 1, 31)).version.number == 1
    assert policy_in_force(shop=shop, on=FEB).version.number == 3
    assert policy_in_force(shop=shop, on=dt.date(2025, 2, 28)).policy.meta.name == "taobao-s1"
    assert policy_in_force(shop=shop, on=dt.date(2025, 6, 1)).version.number == 2
    # Same effective date: the higher number wins.
    policy_adopt_preset(shop=shop, preset="dongyao-s4", effective_from=MAR, acting_user=None)
    in_force = policy_in_force(shop=shop, on=MAR)
    assert (in_force.number, in_force.effective_from, in_force.name) == (4, MAR, "东耀客服管理制度")
    assert [v.number for v in policy_versions(shop=shop)] == [4, 3, 2, 1]


def test_policy_in_force_before_any_version_is_not_found():
    shop = ShopFactory(name="乐乐家居")
    with pytest.raises(NotFound) as caught:
        policy_in_force(shop=shop, on=JAN)
    assert caught.value.message == "店铺「乐乐家居」还没有管理制度，请先选用一个制度模板"
    policy_adopt_preset(shop=shop, preset="pdd-s3", effective_from=FEB, acting_user=None)
    with pytest.raises(NotFound) as caught:
        policy_in_force(shop=shop, on=JAN)
    assert caught.value.message == "店铺「乐乐家居」在 2025-01-01 还没有生效的管理制度"


def test_versions_are_per_shop():
    one, two = ShopFactory(), ShopFactory()
    policy_adopt_preset(shop=one, preset="pdd-s3", effective_from=JAN, acting_user=None)
    version = policy_adopt_preset(
        shop=two, preset="taobao-s1", effective_from=JAN, acting_user=None
    )
    assert version.number == 1
    assert policy_in_force(shop=one, on=JAN).policy.meta.name == "pdd-s3"
    assert [v.shop_id for v in policy_versions(shop=two)] == [two.pk]


def test_readopting_the_same_document_records_that_nothing_changed():
    shop = ShopFactory()
    policy_adopt_preset(shop=shop, preset="pdd-s3", effective_from=JAN, acting_user=None)
    version = policy_adopt_preset(shop=shop, preset="pdd-s3", effective_from=MAR, acting_user=None)
    entry = AuditEntry.objects.get(shop=shop, object_id=str(version.pk))
    assert (entry.action, entry.path, entry.actor) == ("policy.readopt", "", None)
    assert entry.new_value == {"number": 2, "effective_from": "2025-03-01"}


def test_a_policy_object_is_adopted_as_is():
    shop = ShopFactory()
    policy = load_preset("taobao-s4-fines")
    version = policy_adopt(shop=shop, document=policy, effective_from=JAN, acting_user=None)
    rule = policy_in_force(shop=shop, on=JAN).policy.fines.rule_for("handover_missing")
    assert isinstance(rule, ListFine)
    assert rule.amounts == [Decimal("30"), Decimal("50"), Decimal("80")]
    assert version.created_by is None
