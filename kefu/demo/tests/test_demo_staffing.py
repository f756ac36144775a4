"""The demo shops adopt their presets with the demo's staffing section (Kefu defaults), so the
roster page shows the Erlang C need per hour next to the roster's coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.demo.exports import demo_exports_import, demo_exports_write
from kefu.demo.services import DEFAULT_SEED, demo_load
from kefu.demo.staffing import CLAUSE
from kefu.policy.documents import load_preset
from kefu.policy.models import PolicyVersion
from kefu.policy.selectors import policy_in_force
from kefu.rota.grid import month_grid
from kefu.rota.selectors import roster_of_month

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def test_the_demo_shops_have_a_staffing_section_and_the_roster_shows_the_need(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tmall, pdd = demo_load(today=TODAY).shops
    for shop, preset in ((tmall, "taobao-s1"), (pdd, "pdd-s3")):
        in_force = policy_in_force(shop=shop, on=TODAY)
        assert in_force.version.preset == preset
        assert PolicyVersion.objects.filter(shop=shop).count() == 1
        staffing = in_force.policy.schedule.staffing
        assert staffing is not None
        assert (
            staffing.handle_seconds,
            staffing.concurrency,
            staffing.answer_seconds,
            staffing.service_level,
            staffing.shrinkage,
            staffing.history_days,
            staffing.drives_coverage,
            staffing.clause,
        ) == (240, 3, 120, 80, 0, 28, False, CLAUSE)
        # Everything else is the preset's.
        assert in_force.policy.model_copy(
            update={"schedule": in_force.policy.schedule.model_copy(update={"staffing": None})}
        ) == load_preset(preset)
    # Last month's chats, imported as `kefu demo` does (a small shop: scale 0.2).
    files = demo_exports_write(
        shop=tmall, month=(2026, 10), folder=tmp_path, seed=DEFAULT_SEED, scale=0.2
    )
    demo_exports_import(files=files)
    roster = roster_of_month(shop=tmall, month="2026-11")
    assert roster is not None
    grid = month_grid(shop=tmall, roster=roster)
    needed = {hour: need for hour, _, need in grid.hour_cover}
    # A small shop's buyers an hour at 240 s each are under one Erlang: one agent with 3 chat
    # slots answers 80 % within 120 s in every online hour.
    assert needed == {f"{hour:02d}:00": 1 for hour in range(8, 24)}
