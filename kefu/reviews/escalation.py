"""The policy's phone escalation of the review follow-up: reviews escalated by the policy's
deadlines (no answer within `escalate_to_phone_after_hours`) become phone tasks due inside its call
windows, with a notice to the handler or the shop's supervisors. Audited like every review write."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.access import Capability, role_in, shop_members_who_can
from kefu.core.audit import audit_record
from kefu.core.clock import now as clock_now
from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.notify.services import notice_send
from kefu.policy.selectors import policy_in_force
from kefu.reviews.choices import ContactChannel, ContactOutcome, Progress, ReviewStatus
from kefu.reviews.engine.windows import next_call_time
from kefu.reviews.models import Review


@transaction.atomic
def reviews_escalate(
    *, shop: Shop, now: dt.datetime | None = None, notify: bool = True
) -> list[Review]:
    """The policy's escalation (S4.3/S4.4 §4.2): a review first messaged at least
    `escalate_to_phone_after_hours` ago, with no answer and no call yet, becomes a phone task due
    at the first moment inside the policy's call windows (now, when inside one). The handler (or
    the shop's supervisors) get a notice. Idempotent: a review already due is left alone."""
    at = now or clock_now()
    local_day = at.astimezone(shop.tzinfo).date()
    reviews_policy = policy_in_force(shop=shop, on=local_day).policy.reviews
    if "phone" not in reviews_policy.contact_order:
        return []
    cutoff = at - dt.timedelta(hours=reviews_policy.escalate_to_phone_after_hours)
    windows = [(a, b) for a, b in reviews_policy.call_windows]
    candidates = (
        Review.objects.filter(
            shop=shop,
            status=ReviewStatus.CONTACTING,
            phone_due_at__isnull=True,
            first_contact_at__lte=cutoff,
        )
        .exclude(severity="")
        .exclude(contacts__outcome=ContactOutcome.ANSWERED)
        .exclude(contacts__channel=ContactChannel.PHONE)
        .exclude(progress__in=[Progress.PROMISED, Progress.AFTER_COMPENSATION])
        .select_related("handler__user")
        .distinct()
    )
    due: list[Review] = []
    for review in candidates:
        review.phone_due_at = next_call_time(after=at, windows=windows, tz=shop.timezone)
        review.status = ReviewStatus.PHONE_DUE
        review.save(update_fields=["phone_due_at", "status", "updated_at"])
        audit_record(
            shop=shop,
            actor=None,
            action="review.escalate",
            object_type="review",
            object_id=review.pk,
            new_value={"phone_due_at": review.phone_due_at.isoformat()},
            note=reviews_policy.clause,
        )
        due.append(review)
        if not notify:  # the demo replays the past: no notice for it today
            continue
        _notify_phone_task(
            shop=shop, review=review, hours=reviews_policy.escalate_to_phone_after_hours
        )
    return due


def _notify_phone_task(*, shop: Shop, review: Review, hours: int) -> None:
    handler_user = review.handler.user if review.handler is not None else None
    if handler_user is not None and role_in(user=handler_user, shop=shop) is not None:
        recipients = [handler_user]
    else:
        recipients = shop_members_who_can(shop=shop, capability=Capability.MANAGE_TEAM)
    if not recipients:
        return
    assert review.phone_due_at is not None
    local = review.phone_due_at.astimezone(shop.tzinfo)
    notice_send(
        shop=shop,
        recipients=recipients,
        kind="task",
        title=_("中差评电话回访：%(nick)s") % {"nick": review.buyer_nick},
        body=_("买家 %(hours)s 小时未回复留言和短信，请在 %(when)s 电话沟通（订单 %(order)s）")
        % {
            "hours": hours,
            "when": local.strftime("%m-%d %H:%M"),
            "order": review.order_no,
        },
        link=reverse("reviews:detail", kwargs={"shop_id": shop.pk, "review_id": review.pk}),
    )


def reviews_escalate_all(*, now: dt.datetime | None = None) -> int:
    """Every shop with a policy: the periodic job's one call."""
    from kefu.policy.models import PolicyVersion

    count = 0
    for shop in Shop.objects.filter(
        pk__in=PolicyVersion.objects.values("shop_id").distinct()
    ).order_by("pk"):
        try:
            count += len(reviews_escalate(shop=shop, now=now))
        except NotFound:  # no policy in force yet on that day: nothing to escalate
            continue
    return count
