"""Staffing from demand 人力测算 by Erlang C (pure Python, no Django).

Buyers arrive at `arrivals` an hour, each conversation takes `handle_seconds` of an agent's
attention, and an agent serves `concurrency` chats at once. The chats are the queue's servers:
an agent is `concurrency` servers, so the traffic in Erlangs is arrivals × handle time / 3600
and the servers needed are the fewest N > traffic whose service level (the share of buyers
answered within `target_seconds`) reaches the target:

    P(wait) = C(N, A)                      Erlang C, by the Erlang B recursion
    SL      = 1 - P(wait) · exp(-(N - A) · target / handle)
    ASA     = P(wait) · handle / (N - A)    average speed of answer

Agents = ceil(N / concurrency), then ceil(agents / (1 - shrinkage)) for breaks, meetings and
absence. The worked example in the tests is the classic one (10 Erlangs, 20 s, 80 %: 14 agents).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def erlang_b(traffic: float, servers: int) -> float:
    """Blocking probability B(N, A), by the stable recursion B(n) = A·B(n-1) / (n + A·B(n-1))."""
    if servers < 0 or traffic < 0:
        raise ValueError("traffic and servers must not be negative")
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(traffic: float, servers: int) -> float:
    """Probability that a buyer waits, C(N, A); 1 when the servers cannot carry the traffic."""
    if servers <= traffic:
        return 1.0
    blocking = erlang_b(traffic, servers)
    return servers * blocking / (servers - traffic * (1 - blocking))


def service_level(
    traffic: float, servers: int, handle_seconds: float, target_seconds: float
) -> float:
    """Share of buyers answered within `target_seconds`."""
    if traffic <= 0:
        return 1.0
    if servers <= traffic:
        return 0.0
    wait = erlang_c(traffic, servers)
    return 1 - wait * math.exp(-(servers - traffic) * target_seconds / handle_seconds)


def average_answer_seconds(traffic: float, servers: int, handle_seconds: float) -> float:
    if traffic <= 0:
        return 0.0
    if servers <= traffic:
        return math.inf
    return erlang_c(traffic, servers) * handle_seconds / (servers - traffic)


@dataclass(frozen=True)
class Staffing:
    arrivals: float
    """Buyers an hour."""
    traffic: float
    """Erlangs of chat: arrivals × handle time / 3600."""
    servers: int
    """Chat slots needed for the service level."""
    agents: int
    """Agents needed: slots over concurrency, then shrinkage."""
    service_level: float
    """Service level the slots give."""
    answer_seconds: float
    """Average speed of answer with those slots."""


def agents_needed(
    arrivals: float,
    *,
    handle_seconds: float,
    target_seconds: float,
    service_target: float,
    concurrency: int = 1,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents that answer `service_target` (0-1) of buyers within `target_seconds`
    when `arrivals` buyers come an hour."""
    if handle_seconds <= 0 or concurrency < 1 or not 0 <= shrinkage < 1:
        raise ValueError("handle time > 0, concurrency >= 1, 0 <= shrinkage < 1")
    if not 0 < service_target < 1:
        raise ValueError("the service level target is a share between 0 and 1")
    traffic = arrivals * handle_seconds / 3600
    if traffic <= 0:
        return Staffing(arrivals, 0.0, 0, 0, 1.0, 0.0)
    servers = max(1, math.floor(traffic) + 1)
    while service_level(traffic, servers, handle_seconds, target_seconds) < service_target:
        servers += 1
    agents = math.ceil(servers / concurrency)
    agents = math.ceil(agents / (1 - shrinkage) - 1e-9)
    return Staffing(
        arrivals=arrivals,
        traffic=traffic,
        servers=servers,
        agents=agents,
        service_level=service_level(traffic, servers, handle_seconds, target_seconds),
        answer_seconds=average_answer_seconds(traffic, servers, handle_seconds),
    )


def staffing_by_hour(
    arrivals: Mapping[int, float],
    *,
    handle_seconds: float,
    target_seconds: float,
    service_target: float,
    concurrency: int = 1,
    shrinkage: float = 0.0,
) -> dict[int, Staffing]:
    """Agents needed per hour of the day (0-23) from the buyers arriving in it."""
    return {
        hour: agents_needed(
            rate,
            handle_seconds=handle_seconds,
            target_seconds=target_seconds,
            service_target=service_target,
            concurrency=concurrency,
            shrinkage=shrinkage,
        )
        for hour, rate in sorted(arrivals.items())
    }


def shift_heads_for_need(
    shift_spans: Mapping[str, Sequence[tuple[int, int]]],
    need_by_hour: Mapping[int, int],
) -> dict[str, int]:
    """The fewest agents per shift template so that every hour's need is on duty, counting
    every shift that works in that hour; the agent-hours are minimised (CP-SAT, a model of a
    few variables). `shift_spans` are minutes from the shift day's midnight (past 1440 is the
    next day); hours no shift works in cannot be met and are left out."""
    from ortools.sat.python import cp_model

    covering: dict[int, list[str]] = {}
    for key, spans in shift_spans.items():
        for start, end in spans:
            for minute in range(start - start % 60, end, 60):
                hour = (minute // 60) % 24
                if minute < end and minute + 60 > start and key not in covering.get(hour, []):
                    covering.setdefault(hour, []).append(key)
    needed = {h: n for h, n in need_by_hour.items() if n > 0 and covering.get(h)}
    if not needed:
        return {key: 0 for key in shift_spans}
    top = max(needed.values())
    model = cp_model.CpModel()
    heads = {key: model.new_int_var(0, top, f"heads[{key}]") for key in shift_spans}
    for hour, need in needed.items():
        model.add(sum(heads[key] for key in covering[hour]) >= need)
    minutes = {key: sum(end - start for start, end in spans) for key, spans in shift_spans.items()}
    model.minimize(sum(heads[key] * minutes[key] for key in shift_spans))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: top fits all
        raise RuntimeError("no head count meets the hourly need")
    return {key: int(solver.value(var)) for key, var in heads.items()}
