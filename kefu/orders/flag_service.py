"""The shop side of flag reading: the policy's conventions and the shop's agent names."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.orders.importers.flags import COMMISSION, SPECIAL_REQUEST, Convention, FlagReader
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Assignment, SubAccount


def shop_agent_names(*, shop: Shop) -> dict[str, int]:
    """Every name an agent of the shop may sign a note with → agent id: the agent's name, the
    sub-account nickname and the part after the shop prefix (`乐乐家居旗舰店:小美` → 小美)."""
    names: dict[str, int] = {}
    for agent_id, name in Assignment.objects.filter(shop=shop).values_list(
        "agent_id", "agent__name"
    ):
        names[name] = agent_id
    for agent_id, nickname in SubAccount.objects.filter(shop=shop).values_list(
        "agent_id", "nickname"
    ):
        names[nickname] = agent_id
        names.setdefault(nickname.split(":", 1)[-1], agent_id)
    return names


def flag_reader(*, shop: Shop, on: dt.date) -> FlagReader | None:
    """The reader for the policy in force on `on`; None when the shop has no policy then."""
    try:
        flags = policy_in_force(shop=shop, on=on).policy.orders.flags
    except NotFound:
        return None
    conventions = []
    if flags.special_request is not None:
        conventions.append(
            Convention(SPECIAL_REQUEST, flags.special_request.colour, flags.special_request.note)
        )
    if flags.commission is not None:
        conventions.append(Convention(COMMISSION, flags.commission.colour, flags.commission.note))
    return FlagReader(conventions, shop_agent_names(shop=shop))


class FlagReaders:
    """One reader per order date, made when first needed: the policy in force can change in
    the middle of a file."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.today = timezone.localdate(timezone=shop.tzinfo)
        self.readers: dict[dt.date, FlagReader | None] = {}

    def get(self, day: dt.date | None) -> FlagReader | None:
        day = day or self.today
        if day not in self.readers:
            self.readers[day] = flag_reader(shop=self.shop, on=day)
        return self.readers[day]
