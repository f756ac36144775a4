"""Demo data for the review follow-up and the complaint register: a fortnight of mid/negative
reviews imported as a CSV, worked to different stages (messaged, escalated to a phone call,
changed, promised, refused), and complaints walked through the policy's steps, one valid with the
agent at fault. Deterministic for a shop."""

from __future__ import annotations

import datetime as dt

from kefu.complaints.choices import Step
from kefu.complaints.models import Complaint
from kefu.complaints.services import (
    complaint_confirm,
    complaint_record,
    complaint_return_visit,
    complaint_step_record,
    complaint_steps,
)
from kefu.core.models import Shop
from kefu.reviews.escalation import reviews_escalate
from kefu.reviews.models import Review
from kefu.reviews.services import (
    review_contact_record,
    review_fault_mark,
    review_progress_set,
    reviews_import,
)
from kefu.staff.models import Agent
from kefu.staff.selectors import agents_of_shop

# (days ago, hour, buyer, phone, item, rating, text, follow-up review)
REVIEWS = (
    (12, 21, "t***1", "13812341234", "316不锈钢保温杯 500ml", "差评", "杯盖漏水，质量太差", ""),
    (10, 9, "小鹿呀", "13998765432", "旅行收纳袋 三件套", "中评", "一般般吧，发货慢", ""),
    (8, 14, "阿杰0923", "", "316不锈钢保温杯 500ml", "好评", "挺好的", "用了一周就坏了"),
    (6, 20, "m***9", "13700001111", "加厚毛巾 2条装", "差评", "客服态度差，问了半天不理人", ""),
    (4, 11, "晴天", "", "旅行收纳袋 三件套", "中评", "颜色和图片有色差，不太满意", ""),
    (3, 16, "z***n", "13611112222", "加厚毛巾 2条装", "好评", "很柔软，下次还来", ""),
    (2, 10, "老王", "15000003333", "316不锈钢保温杯 500ml", "差评", "收到的是假货", ""),
)
LINK = "https://rate.taobao.com/"


def _csv(today: dt.date) -> bytes:
    lines = ["评价ID,订单号,买家,联系电话,商品,评价结果,评价内容,评价时间,追加评论"]
    for index, (ago, hour, nick, phone, item, rating, text, follow) in enumerate(REVIEWS):
        day = today - dt.timedelta(days=ago)
        order = f"{day:%Y%m%d}{4000 + index}"
        lines.append(
            f"DEMO{index + 1},{order},{nick},{phone},{item},{rating},{text},"
            f"{day:%Y-%m-%d} {hour:02d}:00:00,{follow}"
        )
    return ("\n".join(lines) + "\n").encode()


def reviews_demo_seed(*, shop: Shop, today: dt.date) -> None:
    agents = list(agents_of_shop(shop=shop))
    if not agents or Review.objects.filter(shop=shop).exists():
        return
    zone = shop.tzinfo
    reviews_import(shop=shop, data=_csv(today), filename="评价导出.csv", acting_user=None)
    by_id = {r.platform_review_id: r for r in Review.objects.filter(shop=shop)}

    def at(ago: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=ago), dt.time(hour), tzinfo=zone)

    def message(review: Review, ago: int, hour: int, agent_index: int) -> None:
        agent = agents[agent_index % len(agents)]
        review_contact_record(
            shop=shop, review=review, channel="chat", outcome="sent", link=LINK,
            at=at(ago, hour), handler=agent, acting_user=None,
        )  # fmt: skip
        review_contact_record(
            shop=shop, review=review, channel="sms", outcome="sent", at=at(ago, hour + 1),
            acting_user=None,
        )  # fmt: skip

    first, second, third, fourth = (by_id[f"DEMO{n}"] for n in (1, 2, 3, 4))
    message(first, 11, 10, 0)
    review_contact_record(
        shop=shop, review=first, channel="chat", outcome="answered", at=at(10, 15),
        acting_user=None,
    )  # fmt: skip
    review_progress_set(shop=shop, review=first, progress="changed", acting_user=None)
    message(second, 9, 10, 1)
    review_progress_set(
        shop=shop, review=second, progress="promised", promised_by=today, acting_user=None
    )
    message(third, 7, 9, 0)  # no answer: escalated to a phone call below
    message(fourth, 5, 10, 1)
    review_fault_mark(shop=shop, review=fourth, agent=agents[1 % len(agents)], acting_user=None)
    review_progress_set(shop=shop, review=fourth, progress="refused", acting_user=None)
    reviews_escalate(shop=shop, now=at(1, 12), notify=False)
    _complaints_seed(shop=shop, today=today, agents=agents)


def _complaints_seed(*, shop: Shop, today: dt.date, agents: list[Agent]) -> None:
    zone = shop.tzinfo
    steps = complaint_steps(shop=shop, on=today)

    def walk(complaint: Complaint, *, valid: bool, at_fault: bool, until: str) -> None:
        for step in steps[1:]:
            if step == Step.CONFIRM:
                complaint_confirm(
                    shop=shop, complaint=complaint, valid=valid, agent_at_fault=at_fault,
                    result="已致歉并补偿" if valid else "买家误会，已解释", acting_user=None,
                )  # fmt: skip
            elif step == Step.RETURN_VISIT:
                complaint_return_visit(
                    shop=shop, complaint=complaint, satisfaction=4, evaluation="处理及时，态度好",
                    acting_user=None,
                )  # fmt: skip
            else:
                complaint_step_record(
                    shop=shop, complaint=complaint, step=step, note="见聊天记录", acting_user=None
                )
            if step == until:
                return

    valid = complaint_record(
        shop=shop,
        received_at=dt.datetime.combine(today - dt.timedelta(days=6), dt.time(15), tzinfo=zone),
        channel="chat",
        subject="客服态度差",
        content="买家说客服用反问句回复，感觉被怼",
        buyer_nick="m***9",
        agent=agents[1 % len(agents)],
        acting_user=None,
    )
    walk(valid, valid=True, at_fault=True, until=steps[-1])
    invalid = complaint_record(
        shop=shop,
        received_at=dt.datetime.combine(today - dt.timedelta(days=2), dt.time(11), tzinfo=zone),
        channel="phone",
        subject="发货慢",
        content="买家电话投诉三天未发货",
        buyer_nick="老王",
        agent=agents[0],
        acting_user=None,
    )
    walk(invalid, valid=False, at_fault=False, until=Step.CONFIRM)
