"""Not online on duty, read from the chat records (S1 §1 当班旺旺未在线又未请假; S3 §3(4)
值班客服未登录在线客服). Pure: no Django.

Kefu sees no login status; what it sees is who wrote what when. Inside the part of a shift the
agent was at work (from the later of the part's start and the clock-in, to the earlier of the
part's end and the clock-out), a stretch of at least `silent_minutes` in which buyers wrote to
the shop and none of the agent's sub-accounts sent a message by hand is evidence the agent was
not online: buyers were there, the platform would have given some of them to an agent online."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Silence:
    start: dt.datetime
    end: dt.datetime
    buyers: int
    """Distinct buyers who wrote to the shop in the stretch."""
    buyer_messages: int

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60


def longest_silence(
    *,
    stretches: Sequence[tuple[dt.datetime, dt.datetime]],
    agent_times: Sequence[dt.datetime],
    buyer_messages: Sequence[tuple[dt.datetime, str]],
    silent: dt.timedelta,
    min_buyers: int,
) -> Silence | None:
    """The longest stretch inside `stretches` (the worked parts, in order) of at least
    `silent` with no time in `agent_times` (the agent's own messages, sorted) and at least
    `min_buyers` distinct buyers among `buyer_messages` ((time, buyer), sorted by time)."""
    times = sorted(agent_times)
    buyer_times = [at for at, _ in buyer_messages]
    best: Silence | None = None
    for begin, end in stretches:
        if end <= begin:
            continue
        inside = times[bisect.bisect_left(times, begin) : bisect.bisect_right(times, end)]
        edges = [begin, *inside, end]
        for lo, hi in pairwise(edges):
            if hi - lo < silent:
                continue
            first = bisect.bisect_right(buyer_times, lo)
            last = bisect.bisect_left(buyer_times, hi)
            written = buyer_messages[first:last]
            buyers = len({buyer for _, buyer in written})
            if buyers < min_buyers:
                continue
            found = Silence(lo, hi, buyers, len(written))
            if best is None or found.end - found.start > best.end - best.start:
                best = found
    return best
