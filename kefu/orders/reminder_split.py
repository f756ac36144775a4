"""Split a day's unpaid-order list among the agents on duty (policy
`orders.unpaid_reminder.one_agent: false`). Pure: no Django.

A buyer's orders stay together (one message reminds them all, and two agents must never both
write to the same buyer). Groups are dealt largest first, each to the agent with the fewest
orders so far (ties: the agent earlier in the roster's order): the longest-processing-time rule.
Its heaviest share is at most 4/3 of the best possible, and any two shares differ by at most
the largest buyer's number of orders (so with one-order buyers, by at most one)."""

from __future__ import annotations

from collections.abc import Sequence


def reminder_split(*, groups: Sequence[tuple[str, int]], agents: Sequence[int]) -> dict[str, int]:
    """`groups`: (buyer key, number of orders) in the list's order; `agents`: agent ids in the
    roster's order. Returns buyer key -> agent id. Deterministic: same input, same split."""
    if not agents:
        raise ValueError("no agents to split the list among")
    if len(set(agents)) != len(agents):
        raise ValueError("an agent is listed twice")
    loads = dict.fromkeys(agents, 0)
    rank = {agent: i for i, agent in enumerate(agents)}
    position = {key: i for i, (key, _n) in enumerate(groups)}
    owner: dict[str, int] = {}
    for key, count in sorted(groups, key=lambda g: (-g[1], position[g[0]])):
        if count < 1:
            raise ValueError(f"group {key!r} has no orders")
        agent = min(agents, key=lambda a: (loads[a], rank[a]))
        owner[key] = agent
        loads[agent] += count
    return owner
