"""The review follow-up's API: `GET /api/shops/{shop_id}/reviews` (the 中差评 table, paged) and
`POST /api/shops/{shop_id}/reviews/import` (a TOP TradeRate JSON answer or a review CSV/xlsx,
multipart field `file`). Mounted in kefu/api/api.py; the same access as the web pages
(kefu.api.access): an agent lists the reviews they handle and the untaken ones with phone
numbers masked; importing needs MANAGE_TEAM."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from kefu.api.access import api_shop
from kefu.core.access import Capability, can
from kefu.core.errors import InvalidInput
from kefu.reviews import selectors, services
from kefu.reviews.choices import ReviewStatus, Severity
from kefu.reviews.models import Review
from kefu.staff.models import Agent

router = Router(tags=["reviews"])

MAX_PAGE_SIZE = 200
# The upload is optional in the schema so that access is checked first (see review_import).
OPTIONAL_FILE = File(None)


class ReviewOut(Schema):
    id: int
    platform_review_id: str
    order_no: str
    buyer_nick: str
    phone: str  # masked (138****1234) unless the caller may manage the team
    item_title: str
    rating: str
    content: str
    append_content: str
    rated_at: dt.datetime
    severity: str
    severity_reason: str
    status: str
    contact_status: str
    progress: str
    promised_by: dt.date | None
    phone_due_at: dt.datetime | None
    handler: str | None
    caused_by: str | None


class ReviewPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[ReviewOut]


class ImportOut(Schema):
    added: int
    updated: int
    unchanged: int
    skipped_seller_ratings: int


def _review_out(review: Review, *, reveal_phone: bool) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        platform_review_id=review.platform_review_id,
        order_no=review.order_no,
        buyer_nick=review.buyer_nick,
        phone=review.phone if reveal_phone else selectors.mask_phone(review.phone),
        item_title=review.item_title,
        rating=review.rating,
        content=review.content,
        append_content=review.append_content,
        rated_at=review.rated_at,
        severity=review.severity,
        severity_reason=review.severity_reason,
        status=review.status,
        contact_status=review.contact_status,
        progress=review.progress,
        promised_by=review.promised_by,
        phone_due_at=review.phone_due_at,
        handler=review.handler.name if review.handler else None,
        caused_by=review.caused_by.name if review.caused_by else None,
    )


@router.get("/{shop_id}/reviews", response={200: ReviewPageOut})
def review_list(
    request: HttpRequest,
    shop_id: int,
    status: str = "todo",
    severity: str = "",
    page: int = 1,
    page_size: int = 50,
) -> ReviewPageOut:
    """The 中差评 table, open work first (phone due, severe, medium, light), newest first.
    `status`: todo (open, contacting, phone due; the default), all, or one status;
    `severity`: severe, medium, light or empty for all. At most 200 a page."""
    shop, role = api_shop(request, shop_id, Capability.VIEW_DASHBOARD)
    if status not in {"todo", "all", *ReviewStatus.values}:
        raise InvalidInput(f"unknown status {status!r}")
    if severity and severity not in Severity.values:
        raise InvalidInput(f"unknown severity {severity!r}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be 1 to {MAX_PAGE_SIZE}")
    manager = can(role=role, capability=Capability.VIEW_TEAM)
    own = (
        None
        if manager
        else Agent.objects.filter(user_id=request.user.pk or 0, assignments__shop=shop).first()
    )
    reviews = selectors.reviews_for(
        shop=shop,
        status="" if status == "all" else status,
        severity=severity,
        handler=own,
        only_own=not manager,
    )
    paged = Paginator(reviews, page_size).get_page(page)
    reveal = can(role=role, capability=Capability.MANAGE_TEAM)
    return ReviewPageOut(
        count=paged.paginator.count,
        page=paged.number,
        pages=paged.paginator.num_pages,
        page_size=page_size,
        items=[_review_out(r, reveal_phone=reveal) for r in paged.object_list],
    )


@router.post("/{shop_id}/reviews/import", response={200: ImportOut})
def review_import(
    request: HttpRequest, shop_id: int, file: UploadedFile | None = OPTIONAL_FILE
) -> ImportOut:
    """Import one file (multipart field `file`): all rows or none; a review seen again is
    updated, never duplicated. A bad row answers 422 naming the file, line and field."""
    # The file is optional in the schema so that access is checked first: another shop's URL
    # is a 404 like every other operation (tests/test_tenancy.py), not a 422.
    shop, _ = api_shop(request, shop_id, Capability.MANAGE_TEAM)
    if file is None:
        raise InvalidInput("send the review file as the multipart field 'file'")
    result = services.reviews_import(
        shop=shop,
        data=file.read(),
        filename=file.name or "upload",
        acting_user=request.user if isinstance(request.user, User) else None,
    )
    return ImportOut(
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped_seller_ratings=result.skipped_seller_ratings,
    )
