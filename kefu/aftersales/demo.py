"""The demo shop's after-sales: one case of each of the six types over the last days, some
resolved, one overdue; payments with the policy's note, one signed by finance and one reversed.
Through the services, so every rule of the real path holds."""

from __future__ import annotations

import datetime as dt

from kefu.aftersales import ledger, services
from kefu.aftersales.engine.images import png
from kefu.aftersales.models import Case
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.models import Membership, Shop
from kefu.staff.models import Agent


def aftersales_demo_seed(*, shop: Shop, today: dt.date) -> None:
    agents = list(
        Agent.objects.filter(assignments__shop=shop, assignments__active=True).order_by("name")
    )
    if not agents or Case.objects.filter(shop=shop).exists():
        return
    zone = shop.tzinfo

    def at(ago: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=ago), dt.time(hour), tzinfo=zone)

    def case(type: str, nick: str, ago: int, agent: Agent, text: str) -> Case:
        return services.case_open(
            shop=shop, type=type, buyer_nick=nick, description=text, agent=agent,
            acting_user=None, now=at(ago, 10),
        )  # fmt: skip

    def steps(c: Case, *indexes: int, ago: int) -> None:
        for index in indexes:
            if index < len(c.steps):
                services.case_step_done(
                    shop=shop, case=c, index=index, acting_user=None, now=at(ago, 11)
                )

    first, second = agents[0], agents[1 % len(agents)]
    try:
        quality = case("quality_problem", "tb_lily88", 6, first, "保温杯杯盖开裂")
        services.case_photo_add(
            shop=shop, case=quality, data=png(16, 16), name="杯盖.png", acting_user=None,
            now=at(6, 12),
        )  # fmt: skip
        steps(quality, 0, 1, 2, ago=6)
        services.case_fault_record(
            shop=shop, case=quality, party="product", note="批次质量", acting_user=None
        )
        services.case_resolve(
            shop=shop, case=quality, resolution="exchange", acting_user=None, now=at(5, 15)
        )
        missing = case("missing_items", "小鱼儿2024", 4, second, "少发一个杯套")
        steps(missing, 0, 1, 2, ago=4)
        services.case_chat_read(shop=shop, case=missing, acting_user=None, now=at(4, 11))
        services.case_fault_record(
            shop=shop, case=missing, party="warehouse", note="仓库漏发", acting_user=None
        )
        services.case_resolve(
            shop=shop, case=missing, resolution="reship", coupon=True, acting_user=None,
            now=at(4, 16),
        )  # fmt: skip
        case("late_delivery", "jd_王先生", 5, first, "五天未到")  # never contacted: overdue
        unhappy = case("service_unhappy", "阿狸不吃鱼", 1, second, "嫌客服回复慢")
        steps(unhappy, 0, ago=1)
        case("damaged_in_transit", "tb_chen", 0, first, "外箱压坏，已签收")
        case("not_as_expected", "momo_w", 0, second, "颜色比图片深")
        finance = (
            Membership.objects.filter(shop=shop, role=Role.FINANCE).select_related("user").first()
        )
        paid = ledger.payment_record(
            shop=shop, agent=second, content="删除中评", amount="5", case=missing,
            acting_user=None, now=at(3, 14),
        )  # fmt: skip
        if finance is not None:
            ledger.payment_sign(shop=shop, payment=paid, acting_user=finance.user, now=at(2, 10))
        twice = ledger.payment_record(
            shop=shop, agent=first, content="补偿运费", amount="12", case=quality,
            acting_user=None, now=at(5, 16),
        )  # fmt: skip
        ledger.payment_reverse(
            shop=shop, payment=twice, reason="买家已由平台退运费", acting_user=None, now=at(4, 9)
        )
    except InvalidInput:
        return  # a policy without these case types: the demo leaves after-sales empty
