"""Not online on duty (policy `attendance.online`), from the imported chat records: the facts
`not_online` (S1 §1) or `not_logged_in` (S3 §3(4)) of the worked shifts of a period. The rule
itself is the pure `engine.online.longest_silence`; this module reads the messages and the
agents' sub-accounts (kefu.conversations, kefu.staff)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.attendance.engine import ShiftResult
from kefu.attendance.engine.online import Silence, longest_silence
from kefu.conversations.choices import Direction, Kind
from kefu.conversations.models import Message
from kefu.core.models import Shop
from kefu.policy.schema.attendance import Attendance, OnlineOnDuty
from kefu.staff.models import SubAccount


@dataclass(frozen=True)
class OnlineFact:
    result: ShiftResult
    rule: OnlineOnDuty
    silence: Silence
    nicknames: tuple[str, ...]

    @property
    def side(self) -> str:
        return "online"

    def evidence(self) -> dict[str, Any]:
        shift = self.result.shift
        tz = shift.starts_at.tzinfo
        return {
            "shift": shift.shift_key,
            "shift_label": shift.label or shift.shift_key,
            "local_date": shift.local_date.isoformat(),
            "starts_at": shift.starts_at.isoformat(),
            "ends_at": shift.ends_at.isoformat(),
            "silent_from": self.silence.start.astimezone(tz).isoformat(),
            "silent_to": self.silence.end.astimezone(tz).isoformat(),
            "silent_minutes": self.silence.minutes,
            "buyers": self.silence.buyers,
            "buyer_messages": self.silence.buyer_messages,
            "sub_accounts": list(self.nicknames),
            "policy_minutes": self.rule.silent_minutes,
            "clause": self.rule.clause,
            "reason": "no_message_on_duty",
        }


def worked_stretches(result: ShiftResult) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of the shift the agent was at work: clipped to the clock-in and clock-out,
    without a part of a split shift not worked at all (that part is its own fact)."""
    missed = {f.side for f in result.facts if f.side.startswith("part")}
    lo = result.clock_in.at if result.clock_in else None
    hi = result.clock_out.at if result.clock_out else None
    out = []
    for index, (begin, end) in enumerate(result.shift.stretches):
        if f"part{index + 1}" in missed:
            continue
        begin = max(begin, lo) if lo else begin
        end = min(end, hi) if hi else end
        if end > begin:
            out.append((begin, end))
    return out


def online_facts(
    *, shop: Shop, results: Sequence[ShiftResult], rules_for: Callable[[dt.date], Attendance]
) -> list[OnlineFact]:
    """The worked shifts (punched, not pending, not on leave) with a silence as long as the
    policy's, one fact per shift (its longest silence). Agents without a sub-account bound in
    Kefu are not judged: their messages cannot be told apart."""
    todo = [
        (r, rule)
        for r in results
        if r.punches
        and r.status not in ("pending", "leave")
        and (rule := rules_for(r.shift.local_date).online) is not None
    ]
    if not todo:
        return []
    nicknames: dict[str, list[str]] = defaultdict(list)
    for agent_id, nick in SubAccount.objects.filter(
        shop=shop, agent_id__in={int(r.shift.agent_id) for r, _ in todo}
    ).values_list("agent_id", "nickname"):
        nicknames[str(agent_id)].append(nick)
    todo = [(r, rule) for r, rule in todo if nicknames.get(r.shift.agent_id)]
    if not todo:
        return []
    start = min(r.shift.starts_at for r, _ in todo)
    end = max(r.shift.ends_at for r, _ in todo)
    rows = Message.objects.filter(
        shop=shop, at__gte=start, at__lte=end, kind=Kind.HUMAN
    ).values_list("at", "direction", "sender", "buyer_id")
    buyers: list[tuple[dt.datetime, str]] = []
    by_sender: dict[str, list[dt.datetime]] = defaultdict(list)
    for at, direction, sender, buyer_id in rows.order_by("at", "id"):
        if direction == Direction.BUYER:
            buyers.append((at, str(buyer_id)))
        else:
            by_sender[sender].append(at)
    out = []
    for result, rule in todo:
        nicks = sorted(nicknames[result.shift.agent_id])
        silence = longest_silence(
            stretches=worked_stretches(result),
            agent_times=sorted(t for n in nicks for t in by_sender.get(n, [])),
            buyer_messages=buyers,
            silent=dt.timedelta(minutes=rule.silent_minutes),
            min_buyers=rule.min_buyers,
        )
        if silence is not None:
            out.append(OnlineFact(result, rule, silence, tuple(nicks)))
    return out
