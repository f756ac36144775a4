"""Writes of the review follow-up: import, grading, contacts, progress and the agent-caused mark.
Every write is atomic and audited. The phone escalation lives in `kefu.reviews.escalation`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.conversations.models import Buyer
from kefu.core.audit import audit_record
from kefu.core.choices import Platform
from kefu.core.clock import now as clock_now
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.orders.importers.reading import ImportFileError
from kefu.performance.services import fact_record
from kefu.policy.selectors import policy_in_force
from kefu.reviews.choices import (
    ContactChannel,
    ContactOutcome,
    Progress,
    Rating,
    ReviewStatus,
    Severity,
)
from kefu.reviews.engine.files import ReviewRow, read_reviews
from kefu.reviews.engine.severity import Grade, SeverityRule, grade, rules_from_policy
from kefu.reviews.models import Review, ReviewContact
from kefu.staff.models import Agent, Assignment

SOURCE = "reviews"
TOP_PLATFORMS = frozenset({Platform.TAOBAO, Platform.TMALL})
"""The TOP TradeRate API answers for Taobao and Tmall shops only."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped_seller_ratings: int = 0


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def severity_rules_for(*, shop: Shop, on: dt.date) -> tuple[SeverityRule, ...]:
    policy = policy_in_force(shop=shop, on=on).policy
    return rules_from_policy(
        (r.level, r.ratings, r.keywords, r.when) for r in policy.reviews.severity_rules
    )


def _grade_text(result: Grade, rules: tuple[SeverityRule, ...]) -> str:
    if result.rule_index is None:
        return ""
    rule = rules[result.rule_index]
    words = "、".join(
        str(Rating(m.removeprefix("rating:")).label) if m.startswith("rating:") else m
        for m in result.matched
    )
    return f"{rule.label}（{words}）"[:200]


def _apply_grade(review: Review, rules: tuple[SeverityRule, ...]) -> None:
    if review.severity_set_by_hand:
        return
    result = grade(rating=review.rating, texts=[review.content, review.append_content], rules=rules)
    review.severity = result.level or Severity.NONE
    review.severity_reason = _grade_text(result, rules)
    if not result.needs_follow_up and review.status == ReviewStatus.OPEN:
        review.status = ReviewStatus.IGNORED
    elif result.needs_follow_up and review.status == ReviewStatus.IGNORED:
        review.status = ReviewStatus.OPEN


def _aware(shop: Shop, value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else timezone.make_aware(value, shop.tzinfo)


@transaction.atomic
def reviews_import(
    *, shop: Shop, data: bytes, filename: str, acting_user: User | None
) -> ImportResult:
    """Import a TOP `taobao.traderates.get` answer (JSON) or a review CSV/xlsx. Idempotent by
    (shop, review id): a review seen again is updated (text, follow-up review, reply) and never
    duplicated; its follow-up work is kept. A review whose rating became good is marked
    changed (已删除/修改) and closed. Any bad row: InvalidInput naming file, line and field,
    and nothing is saved."""
    try:
        parsed = read_reviews(data, filename)
    except ImportFileError as exc:
        raise InvalidInput(str(exc)) from None
    is_top = filename.lower().endswith(".json") or data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (
        b"{",
        b"[",
    )
    if is_top and shop.platform not in TOP_PLATFORMS:
        raise InvalidInput(
            _("%(file)s：这是淘宝开放平台（TOP）的评价数据，店铺「%(shop)s」在%(platform)s")
            % {"file": filename, "shop": shop.name, "platform": shop.get_platform_display()}
        )
    seen: set[str] = set()
    for row in parsed.rows:
        if row.review_id in seen:
            raise InvalidInput(
                _("%(where)s：评价编号 %(id)s 在文件中重复")
                % {"where": row.where, "id": row.review_id}
            )
        seen.add(row.review_id)
    existing = {
        r.platform_review_id: r
        for r in Review.objects.filter(shop=shop, platform_review_id__in=seen)
    }
    rules_by_day: dict[dt.date, tuple[SeverityRule, ...]] = {}
    added = updated = unchanged = 0
    source = "top" if is_top else "csv"
    for row in parsed.rows:
        rated_at = _aware(shop, row.created)
        assert rated_at is not None
        day = rated_at.astimezone(shop.tzinfo).date()
        if day not in rules_by_day:
            try:
                rules_by_day[day] = severity_rules_for(shop=shop, on=day)
            except NotFound as exc:
                raise InvalidInput(f"{row.where}：{exc}") from None
        rules = rules_by_day[day]
        review = existing.get(row.review_id)
        if review is None:
            review = _review_new(shop=shop, row=row, rated_at=rated_at, source=source)
            review.policy_version = policy_in_force(shop=shop, on=day).version
            _apply_grade(review, rules)
            review.save()
            added += 1
            continue
        if _review_refresh(shop=shop, review=review, row=row, rules=rules):
            review.save()
            updated += 1
        else:
            unchanged += 1
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="reviews.import",
        object_type="review_file",
        object_id=filename[:64],
        new_value={"added": added, "updated": updated, "unchanged": unchanged},
    )
    return ImportResult(added, updated, unchanged, parsed.skipped_seller_ratings)


def _review_new(*, shop: Shop, row: ReviewRow, rated_at: dt.datetime, source: str) -> Review:
    buyer, _created = Buyer.objects.get_or_create(shop=shop, nickname=row.buyer_nick)
    return Review(
        shop=shop,
        platform_review_id=row.review_id,
        order_no=row.order_no,
        sub_order_no=row.sub_order_no,
        buyer=buyer,
        buyer_nick=row.buyer_nick,
        phone=row.phone,
        item_title=row.item_title[:200],
        item_id=row.item_id,
        rating=row.rating,
        content=row.content,
        rated_at=rated_at,
        append_content=row.append_content,
        append_at=_aware(shop, row.append_created),
        reply=row.reply,
        source=source,
        source_file=row.where.split(" 第 ")[0][:200],
        raw={k: str(v) for k, v in row.raw.items()},
    )


def _review_refresh(
    *, shop: Shop, review: Review, row: ReviewRow, rules: tuple[SeverityRule, ...]
) -> bool:
    """Bring a stored review up to date with a re-imported row; True when anything changed."""
    fields = {
        "content": row.content,
        "append_content": row.append_content or review.append_content,
        "append_at": _aware(shop, row.append_created) or review.append_at,
        "reply": row.reply or review.reply,
        "phone": row.phone or review.phone,
        "rating": row.rating,
    }
    changed = {k: v for k, v in fields.items() if getattr(review, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(review, key, value)
    if "rating" in changed and row.rating == "good" and review.severity:
        review.progress = Progress.CHANGED
        review.status = ReviewStatus.CLOSED
        review.phone_due_at = None
    else:
        _apply_grade(review, rules)
    return True


def _check_review(shop: Shop, review: Review) -> None:
    if review.shop_id != shop.pk:
        raise InvalidInput(_("这条评价不属于本店"))


def _check_agent(shop: Shop, agent: Agent | None) -> None:
    if agent is not None and not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(_("客服「%(name)s」不在本店") % {"name": agent.name})


@transaction.atomic
def review_contact_record(
    *,
    shop: Shop,
    review: Review,
    channel: str,
    outcome: str,
    at: dt.datetime | None = None,
    link: str = "",
    note: str = "",
    handler: Agent | None = None,
    acting_user: User | None,
) -> ReviewContact:
    """One contact attempt. The first message or SMS starts the policy's clock for the phone
    escalation; an answer from the buyer stops it; a phone call ends the phone task."""
    _check_review(shop, review)
    _check_agent(shop, handler)
    if channel not in ContactChannel.values:
        raise InvalidInput(_("未知的联系方式：%(c)s") % {"c": channel})
    if outcome not in ContactOutcome.values:
        raise InvalidInput(_("未知的联系结果：%(o)s") % {"o": outcome})
    if review.status in (ReviewStatus.CLOSED, ReviewStatus.IGNORED):
        raise InvalidInput(_("这条评价已结束，不再联系"))
    if channel == ContactChannel.CHAT and outcome == ContactOutcome.SENT and not link:
        raise InvalidInput(_("旺旺留言要带上修改评价的链接"))
    when = at or clock_now()
    contact = ReviewContact.objects.create(
        shop=shop,
        review=review,
        channel=channel,
        outcome=outcome,
        at=when,
        link=link,
        note=note,
        by=_actor(acting_user),
    )
    if review.first_contact_at is None and channel in (ContactChannel.CHAT, ContactChannel.SMS):
        review.first_contact_at = when
    if channel == ContactChannel.PHONE or outcome == ContactOutcome.ANSWERED:
        review.phone_due_at = None
    if handler is not None:
        review.handler = handler
    review.status = ReviewStatus.CONTACTING
    review.save()
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="review.contact",
        object_type="review",
        object_id=review.pk,
        new_value={"channel": channel, "outcome": outcome},
    )
    return contact


@transaction.atomic
def review_progress_set(
    *,
    shop: Shop,
    review: Review,
    progress: str,
    promised_by: dt.date | None = None,
    note: str = "",
    acting_user: User | None,
) -> Review:
    """The seeds' 进展状况. Changed or refused closes the follow-up; promised needs the date the
    buyer gave; waiting for compensation keeps it open. A refusal on a review an agent caused
    records the `bad_review_unchanged` fact (S1 §3.5)."""
    _check_review(shop, review)
    if progress not in Progress.values or progress == Progress.NONE:
        raise InvalidInput(_("未知的进展状况：%(p)s") % {"p": progress})
    if progress == Progress.PROMISED and promised_by is None:
        raise InvalidInput(_("答应修改要填写买家答应的日期"))
    old = review.progress
    review.progress = progress
    review.promised_by = promised_by if progress == Progress.PROMISED else None
    if progress in (Progress.CHANGED, Progress.REFUSED):
        review.status = ReviewStatus.CLOSED
        review.phone_due_at = None
    elif review.status in (ReviewStatus.OPEN, ReviewStatus.IGNORED):
        review.status = ReviewStatus.CONTACTING
    if note:
        review.note = f"{review.note}\n{note}".strip()
    review.save()
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="review.progress",
        object_type="review",
        object_id=review.pk,
        old_value=old,
        new_value=progress,
    )
    if progress == Progress.REFUSED and review.caused_by is not None:
        fact_record(
            shop=shop,
            agent=review.caused_by,
            key="bad_review_unchanged",
            occurred_at=clock_now(),
            source=SOURCE,
            source_ref=f"review:{review.pk}:unchanged",
            evidence=_evidence(review),
            acting_user=acting_user,
        )
    return review


@transaction.atomic
def review_severity_set(
    *, shop: Shop, review: Review, severity: str, acting_user: User | None
) -> Review:
    """A person grades the review by hand; re-imports keep the hand grade."""
    _check_review(shop, review)
    if severity not in Severity.values:
        raise InvalidInput(_("未知的严重程度：%(s)s") % {"s": severity})
    old = review.severity
    review.severity = severity
    review.severity_set_by_hand = True
    review.severity_reason = _("人工定级")
    if not severity and review.status == ReviewStatus.OPEN:
        review.status = ReviewStatus.IGNORED
    elif severity and review.status == ReviewStatus.IGNORED:
        review.status = ReviewStatus.OPEN
    review.save()
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="review.severity",
        object_type="review",
        object_id=review.pk,
        old_value=old,
        new_value=severity,
    )
    return review


def _evidence(review: Review) -> dict[str, object]:
    return {
        "review_id": review.pk,
        "platform_review_id": review.platform_review_id,
        "order_no": review.order_no,
        "buyer": review.buyer_nick,
        "rating": review.rating,
        "rated_at": review.rated_at.isoformat(),
        "content": review.content[:200],
    }


@transaction.atomic
def review_fault_mark(
    *, shop: Shop, review: Review, agent: Agent, note: str = "", acting_user: User | None
) -> Review:
    """Mark a mid/negative review as caused by an agent: a `bad_review_by_agent` fact for the
    points and fines (S1 §3.5), once per review."""
    _check_review(shop, review)
    _check_agent(shop, agent)
    if review.rating == "good":
        raise InvalidInput(_("好评不能记为客服原因导致的中差评"))
    if review.caused_by is not None and review.caused_by.pk != agent.pk:
        raise InvalidInput(
            _("这条评价已记在客服「%(name)s」名下") % {"name": review.caused_by.name}
        )
    fact = fact_record(
        shop=shop,
        agent=agent,
        key="bad_review_by_agent",
        occurred_at=review.rated_at,
        source=SOURCE,
        source_ref=f"review:{review.pk}:by_agent",
        evidence=_evidence(review),
        note=note,
        acting_user=acting_user,
    )
    review.caused_by = agent
    review.fact_id = fact.pk
    review.save(update_fields=["caused_by", "fact_id", "updated_at"])
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="review.fault",
        object_type="review",
        object_id=review.pk,
        new_value={"agent": agent.pk, "fact": fact.pk},
    )
    return review
