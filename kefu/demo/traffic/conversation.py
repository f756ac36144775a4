"""Conversations, simulated round by round for all sessions at once.

A round is one buyer question (1-3 messages) and the shop's answer (1-3 agent messages). The
loop runs over round numbers (at most a handful) and is vectorised over the sessions still
talking, so a million messages cost a few numpy passes rather than a million Python steps.
Rounds depend on the clock (who is on duty when the answer is due), which is why they cannot be
laid out with a single cumulative sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from kefu.demo.traffic.model import Behaviour
from kefu.demo.traffic.phrases import PhraseTable
from kefu.demo.traffic.timeline import HOUR, Duty

I64 = npt.NDArray[np.int64]
T = TypeVar("T", bound=np.generic)
MAIN_ACCOUNT = -2  # the shop's main account: holds buyers while nobody is on duty
NOBODY = -1

# Message kinds and phases (the order of a round's parts, used to break ties in time).
HUMAN, AUTO, SYSTEM, TRANSFER = 0, 1, 2, 3
PHASE_AUTO, PHASE_SYSTEM, PHASE_TRANSFER, PHASE_AGENT = 3, 4, 5, 6


@dataclass(frozen=True)
class Batch:
    """Sessions to simulate. `topics[s, k]` is the phrase category of round k."""

    start: I64  # local seconds of the first buyer message
    rounds: I64
    item: I64
    topics: npt.NDArray[np.int16]
    transfer_round: I64  # the round in which the buyer is handed to a colleague, or -1


@dataclass(frozen=True)
class Conversation:
    # one entry per message
    session: I64
    time: I64
    round: npt.NDArray[np.int16]
    phase: npt.NDArray[np.int8]
    from_buyer: npt.NDArray[np.bool_]
    kind: npt.NDArray[np.int8]
    agent: npt.NDArray[np.int32]  # sub-account index, MAIN_ACCOUNT or NOBODY
    text: I64  # index into the phrase table; -1 for transfers (their text names both agents)
    transfer_to: npt.NDArray[np.int32]
    # one entry per session
    end: I64
    last_round_start: I64
    gap_before_last: I64
    completed: npt.NDArray[np.bool_]  # every planned round happened and was answered
    rounds_done: I64
    answered: I64
    first_agent: I64
    last_agent: I64  # who answered last: the agent who flags the order


class _Out:
    """Accumulates message columns round by round."""

    def __init__(self) -> None:
        self.cols: dict[str, list[npt.NDArray[np.generic]]] = {
            k: []
            for k in (
                "session",
                "time",
                "round",
                "phase",
                "from_buyer",
                "kind",
                "agent",
                "text",
                "to",
            )
        }

    def add(
        self,
        session: I64,
        time: I64,
        k: int,
        phase: int,
        from_buyer: bool,
        kind: int,
        agent: I64,
        text: I64,
        to: I64 | None = None,
    ) -> None:
        n = session.size
        self.cols["session"].append(session)
        self.cols["time"].append(time)
        self.cols["round"].append(np.full(n, k, np.int16))
        self.cols["phase"].append(np.full(n, phase, np.int8))
        self.cols["from_buyer"].append(np.full(n, from_buyer, np.bool_))
        self.cols["kind"].append(np.full(n, kind, np.int8))
        self.cols["agent"].append(agent.astype(np.int32))
        self.cols["text"].append(text)
        self.cols["to"].append((np.full(n, NOBODY) if to is None else to).astype(np.int32))

    def column(self, name: str, dtype: type[T]) -> npt.NDArray[T]:
        parts = self.cols[name]
        joined = np.concatenate(parts) if parts else np.zeros(0)
        return joined.astype(dtype)


def _lognormal(
    rng: np.random.Generator, median: float | npt.NDArray[np.float64], sigma: float, n: int
) -> npt.NDArray[np.float64]:
    return np.exp(rng.normal(np.log(median), sigma, n))


def _counts(rng: np.random.Generator, n: int, p2: float, p3: float) -> I64:
    """1, 2 or 3 messages: P(>=2) = p2, P(3) = p3."""
    u = rng.random(n)
    return (1 + (u < p2) + (u < p3)).astype(np.int64)


def simulate(
    rng: np.random.Generator,
    batch: Batch,
    duty: Duty,
    load: npt.NDArray[np.float64],
    table: PhraseTable,
    b: Behaviour,
) -> Conversation:
    n_sessions = batch.start.size
    hours = duty.count.size
    more = table.category["more"]
    auto_welcome, auto_offline = table.category["auto_welcome"], table.category["auto_offline"]
    system_offline = table.category["system_offline"]

    cur = np.full(n_sessions, NOBODY, np.int64)
    opening = batch.start // HOUR
    staffed = duty.count[np.minimum(opening, hours - 1)] > 0
    cur[staffed] = duty.pick(opening[staffed], rng.integers(0, 1 << 30, int(staffed.sum())))
    first_agent = np.full(n_sessions, NOBODY, np.int64)
    last_agent = np.full(n_sessions, NOBODY, np.int64)
    t_next = batch.start.copy()
    end = batch.start.copy()
    last_start = batch.start.copy()
    gap_before = np.zeros(n_sessions, np.int64)
    gap_last = np.zeros(n_sessions, np.int64)
    talking = np.ones(n_sessions, np.bool_)
    rounds_done = np.zeros(n_sessions, np.int64)
    answered_n = np.zeros(n_sessions, np.int64)
    out = _Out()

    k = 0
    while True:
        s = np.flatnonzero(talking & (k < batch.rounds))
        n = s.size
        if n == 0:
            break
        t0 = t_next[s]
        cat = batch.topics[s, k].astype(np.int64)
        item = batch.item[s]
        holder = np.where(cur[s] >= 0, cur[s], MAIN_ACCOUNT)

        # The buyer's messages: a burst, a few seconds of typing apart.
        nb = _counts(rng, n, 0.35, 0.10)
        typing = np.clip(_lognormal(rng, 8.0, 0.7, 2 * n), 2, 120).astype(np.int64).reshape(n, 2)
        b_time = t0
        draw = rng.integers(0, 1 << 30, n)  # +j below: a burst never repeats the same phrase
        for j in range(3):
            if j:
                b_time = b_time + typing[:, j - 1] * (nb > j)
            m = nb > j
            out.add(
                s[m],
                b_time[m],
                k,
                j,
                True,
                HUMAN,
                holder[m],
                table.buyer(cat[m], draw[m] + j, item[m]),
            )
        last_buyer = b_time

        # The first message of a session may get an auto-reply within seconds.
        bucket0 = np.minimum(t0 // HOUR, hours - 1)
        open0 = duty.count[bucket0] > 0
        auto_t = t0 + rng.integers(1, 4, n)
        auto_end = np.zeros(n, np.int64)
        if k == 0:
            auto = ~open0 | (rng.random(n) < b.auto_reply_share)
            acat = np.where(open0, auto_welcome, auto_offline)
            draw = rng.integers(0, 1 << 30, n)
            texts = table.agent(acat[auto], draw[auto], item[auto])
            out.add(s[auto], auto_t[auto], k, PHASE_AUTO, False, AUTO, holder[auto], texts)
            auto_end = np.where(auto, auto_t, 0)

        # The human answer: log-normal response time, slower under load, away spells, and
        # nobody at all outside the rota (then the next shift answers, or the buyer has left).
        rt = _lognormal(rng, b.median_response_s * load[bucket0], b.response_sigma, n)
        away = rng.random(n) < b.away_share
        rt = rt + away * _lognormal(rng, b.away_median_s, 0.9, n)
        reply = np.maximum(t0 + np.maximum(rt, 3).astype(np.int64), last_buyer + 2)
        bucket = reply // HOUR
        beyond = bucket >= hours
        bucket = np.minimum(bucket, hours - 1)
        closed = duty.count[bucket] == 0
        leaves = closed & (rng.random(n) < b.night_leave_share)
        reopen = duty.next_open[bucket]
        catch_up = np.clip(_lognormal(rng, 240.0, 0.8, n), 20, 3300).astype(np.int64)
        reply = np.where(closed, reopen * HOUR + catch_up, reply)
        ok = ~(
            beyond | leaves | (closed & (reopen >= hours)) | (rng.random(n) < b.unanswered_share)
        )
        bucket = np.minimum(reply // HOUR, hours - 1)

        stays = (cur[s] >= 0) & duty.on[np.maximum(cur[s], 0), bucket]
        draw = rng.integers(0, 1 << 30, n)
        count = np.maximum(duty.count[bucket], 1)
        picked = duty.roster[bucket, draw % count]
        agent = np.where(stays, cur[s], picked)
        # A colleague takes over mid-way (pre-sales to after-sales, a break): only between
        # agents who are both on duty, and never in the same round as a shift handover.
        moved = ok & stays & (batch.transfer_round[s] == k) & (duty.count[bucket] >= 2)
        other = duty.roster[bucket, (draw + 1) % count]
        handed = np.where(picked == agent, other, picked)
        before = np.clip(reply - rng.integers(2, 9, n), last_buyer + 1, reply - 1)
        shift = ok & ~stays & (cur[s] >= 0)
        offline = ok & (cur[s] < 0)
        out.add(
            s[shift],
            before[shift],
            k,
            PHASE_TRANSFER,
            False,
            TRANSFER,
            cur[s][shift],
            np.full(int(shift.sum()), -1, np.int64),
            agent[shift],
        )
        out.add(
            s[moved],
            before[moved],
            k,
            PHASE_TRANSFER,
            False,
            TRANSFER,
            agent[moved],
            np.full(int(moved.sum()), -1, np.int64),
            handed[moved],
        )
        sys_text = table.agent(
            np.full(int(offline.sum()), system_offline),
            np.zeros(int(offline.sum()), np.int64),
            item[offline],
        )
        out.add(
            s[offline], before[offline], k, PHASE_SYSTEM, False, SYSTEM, agent[offline], sys_text
        )
        agent = np.where(moved, handed, agent)

        na = _counts(rng, n, 0.50, 0.20)
        typing = np.clip(_lognormal(rng, 15.0, 0.6, 2 * n), 3, 90).astype(np.int64).reshape(n, 2)
        a_time = reply
        a_end = reply.copy()
        draw = rng.integers(0, 1 << 30, n)
        for j in range(3):
            if j:
                a_time = a_time + typing[:, j - 1]
            b_k = np.minimum(a_time // HOUR, hours - 1)
            # A shift can end between two messages: only agents on duty write.
            m = ok & (na > j) & duty.on[agent, b_k] & (a_time // HOUR < hours)
            if j:
                m &= a_end == a_time - typing[:, j - 1]  # no gaps: stop at the first dropped one
            a_end = np.where(m, a_time, a_end)
            acat = cat if j == 0 else np.full(n, more)
            texts = table.agent(acat[m], draw[m] + j, item[m])
            out.add(s[m], a_time[m], k, PHASE_AGENT + j, False, HUMAN, agent[m], texts)

        round_end = np.where(ok, a_end, np.maximum(last_buyer, auto_end))
        cur[s] = np.where(ok, agent, cur[s])
        first_agent[s] = np.where(ok & (first_agent[s] < 0), agent, first_agent[s])
        last_agent[s] = np.where(ok, agent, last_agent[s])
        answered_n[s] += ok
        rounds_done[s] += 1
        end[s] = round_end
        last_start[s] = t0
        gap_last[s] = gap_before[s]
        # An unanswered buyer gives up; the others think, then ask the next question.
        talking[s[~ok]] = False
        think = np.clip(_lognormal(rng, 40.0, 1.0, n), 5, 1800).astype(np.int64)
        # Whoever waited half an hour or more (a night message) is rarely still at the screen.
        late = np.clip(_lognormal(rng, 1.5 * HOUR, 1.0, n), 60, 14 * HOUR).astype(np.int64)
        think = np.where(reply - t0 > 1800, late, think)
        gap_before[s] = think
        t_next[s] = round_end + think
        k += 1

    return Conversation(
        session=out.column("session", np.int64),
        time=out.column("time", np.int64),
        round=out.column("round", np.int16),
        phase=out.column("phase", np.int8),
        from_buyer=out.column("from_buyer", np.bool_),
        kind=out.column("kind", np.int8),
        agent=out.column("agent", np.int32),
        text=out.column("text", np.int64),
        transfer_to=out.column("to", np.int32),
        end=end,
        last_round_start=last_start,
        gap_before_last=gap_last,
        completed=(rounds_done == batch.rounds) & (answered_n == batch.rounds),
        rounds_done=rounds_done,
        answered=answered_n,
        first_agent=first_agent,
        last_agent=last_agent,
    )
