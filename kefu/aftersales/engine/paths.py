"""Each after-sales case type's path as rules on what a case must show before it is resolved
(RULEBOOK §7; S4.3 §4.1, S4.4 §4.1). Pure: no Django. The steps' wording, the remedies allowed,
whether photos are asked for and the deadlines come from the shop's policy; what is fixed here is
the shape of each path:

1. not as expected: apologise and explain first; compensation, exchange or return after.
2. unhappy with service: read the chat log, record the service fault; then a remedy.
3. missing items: check the chat log; ours (staff, warehouse): reship at once plus a coupon;
   else the buyer's photo first, then reship.
4. late delivery: the cause (the party at fault) and the buyer told first.
5. damaged in transit: signed for: photo evidence, then a remedy; not signed: reship or return.
6. quality problem: the buyer's photos, the agent's judgement; then a remedy.
"""

from __future__ import annotations

from dataclasses import dataclass

OURS = frozenset({"staff", "warehouse", "product"})
"""Parties on the shop's side: a missing item that is ours is reshipped without asking."""

CASE_TYPES = (
    "not_as_expected",
    "service_unhappy",
    "missing_items",
    "late_delivery",
    "damaged_in_transit",
    "quality_problem",
)


@dataclass(frozen=True)
class CaseFacts:
    """What a case records, as the rules need it."""

    type: str
    remedies_allowed: tuple[str, ...]
    photo_evidence: bool  # the policy's case rule asks for photos
    record_party_at_fault: bool
    steps_done: int
    chat_read: bool
    photos: int
    party: str  # "" while not recorded
    signed_for: bool | None  # damaged in transit: did the buyer sign for the parcel?
    resolution: str
    coupon: bool


def photo_required(facts: CaseFacts) -> bool:
    """Whether this case needs a photo before it is resolved."""
    if not facts.photo_evidence:
        return False
    if facts.type == "damaged_in_transit":
        return facts.signed_for is True
    if facts.type == "missing_items":
        return facts.party not in OURS
    return True


def chat_required(facts: CaseFacts) -> bool:
    return facts.type in {"service_unhappy", "missing_items"}


def party_required(facts: CaseFacts) -> bool:
    return facts.record_party_at_fault or facts.type in {"service_unhappy", "late_delivery"}


def allowed_resolutions(facts: CaseFacts) -> tuple[str, ...]:
    """The remedies this case may end in now, in the policy's order."""
    allowed = facts.remedies_allowed
    if facts.type == "missing_items":
        narrowed = tuple(r for r in allowed if r == "reship")
        return narrowed or allowed
    if facts.type == "damaged_in_transit" and facts.signed_for is False:
        narrowed = tuple(r for r in allowed if r in {"reship", "return"})
        return narrowed or allowed
    return tuple(r for r in allowed if r != "coupon") or allowed


def resolution_problems(facts: CaseFacts) -> list[str]:
    """What stops this case from being resolved as recorded; empty when it may be."""
    problems: list[str] = []
    if facts.type not in CASE_TYPES:
        return [f"未知的售后类型：{facts.type}"]
    if facts.steps_done < 1:
        problems.append("还没有完成任何处理步骤（先联系买家，如致歉）")
    if chat_required(facts) and not facts.chat_read:
        problems.append("请先查看该买家的聊天记录")
    if party_required(facts) and not facts.party:
        problems.append("请先判定责任方")
    if facts.type == "damaged_in_transit" and facts.signed_for is None:
        problems.append("请先确认买家是否已签收")
    if photo_required(facts) and facts.photos < 1:
        problems.append("此类售后需要买家提供的照片作为凭证")
    if not facts.resolution:
        problems.append("请选择处理结果")
    elif facts.resolution not in allowed_resolutions(facts):
        problems.append(f"处理结果「{facts.resolution}」不在此类售后允许的处理方式中")
    if (
        facts.type == "missing_items"
        and facts.party in OURS
        and "coupon" in facts.remedies_allowed
        and not facts.coupon
    ):
        problems.append("责任在我方：补发的同时请发放优惠券")
    return problems
