"""The demo shops' staffing section (`schedule.staffing`): no seed gives handle times or
service targets, so no preset has one and the roster's "测算需要" column would stay empty. The
demo adopts its presets with these Kefu defaults added, so the roster page shows the Erlang C
need against the roster's coverage. They are the demo's, not a regime's: a real shop enters
its own (see docs/rota.md, "Staffing from demand").

- handle time 240 s of an agent's attention per buyer, 3 chats at once: Kefu defaults;
- answer target: the shop's own slow-round threshold (`service_levels.response`, S1 §2: 120 s),
  80 % of buyers within it: Kefu default;
- shrinkage 0: the roster's head counts are people at work (a shop that wants breaks and
  meetings grossed up sets its own);
- 28 days of history; the need is shown, it does not drive the solver (`drives_coverage`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from kefu.core.models import Shop
from kefu.policy.documents import load_preset
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import Policy
from kefu.policy.schema.schedule import Staffing
from kefu.policy.services import policy_adopt

HANDLE_SECONDS = 240
CONCURRENCY = 3
SERVICE_LEVEL = 80
SHRINKAGE = 0
HISTORY_DAYS = 28
CLAUSE = "Kefu 演示默认（制度未给出接待时长；应答目标取 service_levels.response）"


def demo_staffing(policy: Policy) -> Staffing:
    return Staffing(
        handle_seconds=HANDLE_SECONDS,
        concurrency=CONCURRENCY,
        answer_seconds=policy.service_levels.response.slow_round_seconds,
        service_level=SERVICE_LEVEL,
        shrinkage=SHRINKAGE,
        history_days=HISTORY_DAYS,
        drives_coverage=False,
        clause=CLAUSE,
    )


def demo_policy_adopt(
    *, shop: Shop, preset: str, effective_from: dt.date, acting_user: User | None
) -> PolicyVersion:
    """Adopt the preset with the demo's staffing section (one version, named after the preset)."""
    policy = load_preset(preset)
    schedule = policy.schedule.model_copy(update={"staffing": demo_staffing(policy)})
    return policy_adopt(
        shop=shop,
        document=policy.model_copy(update={"schedule": schedule}),
        effective_from=effective_from,
        acting_user=acting_user,
        preset=preset,
        note=f"选用制度模板 {preset}（排班测算 schedule.staffing 为 Kefu 演示默认值）",
    )
