"""Reviews, complaints and after-sales cases (other apps' models, read lazily): at risk, the
timeline, erasure."""

from __future__ import annotations

from django.apps import apps

from kefu.buyers import privacy
from kefu.buyers.groups import groups_recompute
from kefu.buyers.models import GroupMembership
from kefu.buyers.timeline import buyer_timeline
from kefu.conversations.models import Buyer

from .conftest import World, at

NOW = at(2026, 11, 20, 12)


def _records(w: World, buyer: Buyer) -> None:
    review = apps.get_model("reviews.Review")
    complaint = apps.get_model("complaints.Complaint")
    review.objects.create(
        shop=w.shop,
        platform_review_id="R1",
        order_no="9",
        buyer=buyer,
        buyer_nick=buyer.nickname,
        phone="13812341234",
        rating="bad",
        content="太差了",
        rated_at=at(2026, 11, 10),
        source="csv",
    )
    complaint.objects.create(
        shop=w.shop,
        received_at=at(2026, 11, 12),
        channel="chat",
        buyer=buyer,
        buyer_nick=buyer.nickname,
        subject="态度",
        content="客服态度不好",
    )


def test_bad_review_or_open_complaint_puts_the_buyer_at_risk(world: World) -> None:
    angry = Buyer.objects.create(shop=world.shop, nickname="生气")
    calm = Buyer.objects.create(shop=world.shop, nickname="平静")
    _records(world, angry)
    apps.get_model("reviews.Review").objects.create(
        shop=world.shop,
        platform_review_id="R2",
        order_no="8",
        buyer=calm,
        buyer_nick="平静",
        rating="good",
        rated_at=at(2026, 11, 10),
        source="csv",
    )
    groups_recompute(shop=world.shop, now=NOW)
    assert list(
        GroupMembership.objects.filter(group="at_risk").values_list("buyer__nickname", flat=True)
    ) == ["生气"]
    # The review settled and the complaint closed: no longer at risk.
    apps.get_model("reviews.Review").objects.filter(buyer=angry).update(status="closed")
    apps.get_model("complaints.Complaint").objects.filter(buyer=angry).update(closed_at=NOW)
    result = groups_recompute(shop=world.shop, now=NOW)
    assert result.left["at_risk"] == 1
    assert not GroupMembership.objects.filter(group="at_risk").exists()


def test_timeline_holds_reviews_and_complaints_linked_to_their_pages(world: World) -> None:
    buyer = Buyer.objects.create(shop=world.shop, nickname="生气")
    _records(world, buyer)
    entries = buyer_timeline(shop=world.shop, buyer=buyer)
    assert [(e.kind, e.at) for e in entries] == [
        ("complaints", at(2026, 11, 12)),
        ("reviews", at(2026, 11, 10)),
    ]
    assert entries[0].url.startswith(f"/s/{world.shop.pk}/complaints/")
    assert entries[1].url.startswith(f"/s/{world.shop.pk}/reviews/")


def test_erasure_reaches_reviews_and_complaints(world: World) -> None:
    buyer = Buyer.objects.create(shop=world.shop, nickname="生气")
    _records(world, buyer)
    privacy.buyer_erase(shop=world.shop, buyer=buyer, reason="申请", acting_user=None)
    review = apps.get_model("reviews.Review").objects.get()
    complaint = apps.get_model("complaints.Complaint").objects.get()
    name = f"已删除买家{buyer.pk}"
    assert (review.buyer_nick, review.phone, review.content, review.rating) == (name, "", "", "bad")
    assert (complaint.buyer_nick, complaint.content, complaint.subject) == (name, "", "态度")
