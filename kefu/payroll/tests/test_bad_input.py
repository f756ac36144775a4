"""The issue's bad-input line for a policy's tier table: a table with a gap (sales above the
last bound with no rate) is refused when the shop adopts it, with a message naming the tier,
and nothing changes: the policy in force and the payroll stay as they were. (The other lines,
an agent missing a level, an incident for an agent not on the shop and a second run of a
locked month, are in test_runs.py, performance/tests/test_records.py and test_api.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.errors import InvalidInput
from kefu.payroll.models import PayrollRun
from kefu.payroll.services import payroll_run
from kefu.performance.closing import month_close
from kefu.performance.tests.db import OCTOBER, team
from kefu.policy.models import PolicyVersion
from kefu.policy.selectors import policy_in_force
from kefu.policy.services import policy_adopt

pytestmark = pytest.mark.django_db


def test_a_tier_table_with_a_gap_is_refused_and_nothing_changes() -> None:
    t = team("taobao-s4-points")
    month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    run = payroll_run(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    document = policy_in_force(shop=t.shop, on=dt.date(2026, 10, 31)).version.document
    tiers = document["pay"]["commission"]["tiers"]
    # Sales above 300000 would have no rate: the last band is closed.
    document["pay"]["commission"]["tiers"] = [tiers[0], {**tiers[2], "up_to": "300000"}]
    with pytest.raises(InvalidInput) as caught:
        policy_adopt(
            shop=t.shop,
            document=document,
            effective_from=dt.date(2026, 10, 1),
            acting_user=t.supervisor,
        )
    assert caught.value.message == "制度内容有误，共1处，未保存任何更改"
    assert caught.value.details == [
        "pay.commission.tiers.1.up_to: the last tier must be open (no up_to)"
    ]
    assert PolicyVersion.objects.filter(shop=t.shop).count() == 1
    assert list(PayrollRun.objects.values_list("pk", flat=True)) == [run.pk]
