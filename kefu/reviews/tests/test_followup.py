"""Working a review: contacts, progress, the 48-hour phone escalation in the call windows (with
the clock frozen), and the agent-caused mark that becomes a fact."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.notify.models import Notice
from kefu.performance.models import Fact
from kefu.reviews.escalation import reviews_escalate
from kefu.reviews.models import Review
from kefu.reviews.services import (
    review_contact_record,
    review_fault_mark,
    review_progress_set,
)
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
LINK = "https://rate.taobao.com/edit?id=1"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)  # type: ignore[misc]


def freeze(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: moment))


@pytest.fixture
def review(shop: Shop) -> Review:
    return Review.objects.create(
        shop=shop,
        platform_review_id="T1-1",
        order_no="T1",
        buyer_nick="小鹿",
        rating="bad",
        content="质量太差",
        rated_at=local(2026, 3, 1, 20, 0),
        severity="severe",
        source="csv",
    )


def message(shop: Shop, review: Review, agent: Agent, at: dt.datetime) -> None:
    review_contact_record(
        shop=shop,
        review=review,
        channel="chat",
        outcome="sent",
        link=LINK,
        at=at,
        handler=agent,
        acting_user=None,
    )


def test_a_chat_message_needs_the_edit_link(shop: Shop, review: Review) -> None:
    with pytest.raises(InvalidInput) as caught:
        review_contact_record(
            shop=shop, review=review, channel="chat", outcome="sent", acting_user=None
        )
    assert caught.value.message == "旺旺留言要带上修改评价的链接"


@pytest.mark.parametrize(
    ("now", "due"),
    [
        # 48 hours after the 12:00 message is 12:00 two days later: outside both windows.
        (local(2026, 3, 4, 12, 0), local(2026, 3, 4, 16, 0)),
        # The job runs inside the morning window: the call is due at once.
        (local(2026, 3, 5, 10, 0), local(2026, 3, 5, 10, 0)),
        # After the afternoon window: the next morning at 09:30.
        (local(2026, 3, 4, 18, 30), local(2026, 3, 5, 9, 30)),
    ],
)
def test_no_answer_for_48_hours_becomes_a_phone_task_in_a_call_window(
    shop: Shop,
    review: Review,
    agent: Agent,
    monkeypatch: pytest.MonkeyPatch,
    now: dt.datetime,
    due: dt.datetime,
) -> None:
    message(shop, review, agent, local(2026, 3, 2, 12, 0))
    review_contact_record(
        shop=shop, review=review, channel="sms", outcome="sent", at=local(2026, 3, 2, 12, 5),
        acting_user=None,
    )  # fmt: skip
    freeze(monkeypatch, now)
    escalated = reviews_escalate(shop=shop)
    assert [r.pk for r in escalated] == [review.pk]
    review.refresh_from_db()
    assert (review.status, review.phone_due_at) == ("phone_due", due)
    notice = Notice.objects.get(shop=shop, recipient=agent.user)
    assert notice.title == "中差评电话回访：小鹿"
    assert f"{due:%m-%d %H:%M}" in notice.body
    assert reviews_escalate(shop=shop) == []  # idempotent


def test_not_yet_48_hours_or_answered_is_not_escalated(
    shop: Shop, review: Review, agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    message(shop, review, agent, local(2026, 3, 2, 12, 0))
    freeze(monkeypatch, local(2026, 3, 4, 11, 59))  # 47 h 59 min
    assert reviews_escalate(shop=shop) == []
    review_contact_record(
        shop=shop, review=review, channel="chat", outcome="answered", at=local(2026, 3, 3, 9, 0),
        acting_user=None,
    )  # fmt: skip
    freeze(monkeypatch, local(2026, 3, 6, 16, 0))
    assert reviews_escalate(shop=shop) == []


def test_the_periodic_job_escalates_every_shop(
    shop: Shop, review: Review, agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config import schedule

    message(shop, review, agent, local(2026, 3, 2, 12, 0))
    freeze(monkeypatch, local(2026, 3, 4, 17, 0))
    schedule.review_phone_escalation.call_local()
    review.refresh_from_db()
    assert review.phone_due_at == local(2026, 3, 4, 17, 0)


def test_a_phone_call_ends_the_task_and_progress_closes(
    shop: Shop, review: Review, agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    message(shop, review, agent, local(2026, 3, 2, 12, 0))
    freeze(monkeypatch, local(2026, 3, 4, 16, 10))
    reviews_escalate(shop=shop)
    review_contact_record(
        shop=shop, review=review, channel="phone", outcome="answered", acting_user=None
    )
    review.refresh_from_db()
    assert (review.status, review.phone_due_at) == ("contacting", None)
    assert review.contact_status == "已电话沟通"
    with pytest.raises(InvalidInput):
        review_progress_set(shop=shop, review=review, progress="promised", acting_user=None)
    review_progress_set(
        shop=shop, review=review, progress="promised", promised_by=dt.date(2026, 3, 8),
        acting_user=None,
    )  # fmt: skip
    assert (review.status, review.progress) == ("contacting", "promised")
    review_progress_set(shop=shop, review=review, progress="changed", acting_user=None)
    assert (review.status, review.progress, review.promised_by) == ("closed", "changed", None)
    with pytest.raises(InvalidInput):
        message(shop, review, agent, local(2026, 3, 9, 10, 0))


def test_an_agent_caused_review_becomes_facts(shop: Shop, review: Review, agent: Agent) -> None:
    review_fault_mark(shop=shop, review=review, agent=agent, acting_user=None)
    review_fault_mark(shop=shop, review=review, agent=agent, acting_user=None)  # once only
    fact = Fact.objects.get(shop=shop, key="bad_review_by_agent")
    assert (fact.agent, fact.source, fact.source_ref) == (
        agent,
        "reviews",
        f"review:{review.pk}:by_agent",
    )
    assert fact.local_date == dt.date(2026, 3, 1)
    assert fact.evidence["order_no"] == "T1"
    assert review.fact_id == fact.pk
    review_progress_set(shop=shop, review=review, progress="refused", acting_user=None)
    unchanged = Fact.objects.get(shop=shop, key="bad_review_unchanged")
    assert unchanged.agent == agent
