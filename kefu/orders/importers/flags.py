"""Who flagged an order: read the agent out of the seller note by the shop's conventions.

The policy (kefu/policy/schema/orders.py, Flags) says e.g. special requests are red with the
note "{content}_{agent}" (`发邮政快递_慧兰`) and sales are blue with "{agent}" (`慧兰`). The
caller passes the conventions and the shop's agent names; nothing here touches the database.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

SPECIAL_REQUEST = "special_request"
COMMISSION = "commission"


@dataclass(frozen=True)
class Convention:
    kind: str  # SPECIAL_REQUEST | COMMISSION
    colour: str
    template: str


@dataclass(frozen=True)
class FlagReading:
    kind: str
    agent_name: str
    agent_id: int | None  # None: a name the shop does not know (reported as a warning)
    content: str


def template_pattern(template: str) -> re.Pattern[str]:
    """ "{content}_{agent}" → ^(?P<content>.+)_(?P<agent>.+?)$: content greedy, so with
    underscores inside the request the agent is still the last part."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name == "content":
            parts.append(r"(?P<content>.+)")
        elif name == "agent":
            parts.append(r"(?P<agent>[^\s_,，;；]+?)")
    return re.compile("^" + "".join(parts) + "$")


class FlagReader:
    def __init__(self, conventions: list[Convention], agents: Mapping[str, int]) -> None:
        self.conventions = [(c, template_pattern(c.template)) for c in conventions]
        self.agents = dict(agents)

    def read(self, note: str, flag: str | None) -> FlagReading | None:
        """The reading of one order's note, or None when the note names no agent.

        A convention applies when the flag has its colour; when the export has no flag column
        (Taobao 订单报表 generations A and B) flag is None and the note alone decides, but then
        only a name the shop knows counts, so warehouse memos like "南京仓" are not agents.
        """
        note = note.strip()
        if not note:
            return None
        # A template with literal text (the special request) is more specific: try it first.
        ordered = sorted(self.conventions, key=lambda cp: -len(cp[1].pattern))
        for convention, pattern in ordered:
            if flag is not None and flag != convention.colour:
                continue
            match = pattern.match(note)
            if match is None:
                continue
            name = match.group("agent").strip()
            agent_id = self.agents.get(name)
            if agent_id is None and flag is None:
                continue
            content = match.groupdict().get("content") or ""
            return FlagReading(convention.kind, name, agent_id, content.strip())
        return None
