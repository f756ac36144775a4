"""`POST /api/shops/{shop_id}/messages`: the generic chat format (docs/chat-import.md) as an API
that takes batches. Mount with `api.add_router("/shops", conversations_router)` in kefu/api/api.py
(it reuses that API's auth and error envelope). Same access rules as the web: kefu.api.access."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema

from kefu.api.access import api_shop
from kefu.conversations.services import MAX_API_ROWS, chat_rows_import
from kefu.core.access import Capability
from kefu.core.errors import InvalidInput

router = Router(tags=["conversations"])


class MessageIn(Schema):
    buyer: str
    sender: str
    direction: Literal["buyer", "agent"]
    time: dt.datetime  # with an offset, or naive shop-local time
    text: str = ""
    kind: Literal["human", "auto_reply", "system", "transfer", "recall"] = "human"
    transfer_to: str = ""
    shop: str = ""


class MessagesIn(Schema):
    source: str = "api"  # a name for the batch, shown in the import list and in errors
    # Optional in the schema so that access is checked first: a body without messages sent to
    # another shop's URL is a 404 like every other operation, not a 422 (tests/test_tenancy.py).
    messages: list[MessageIn] = []


class BatchOut(Schema):
    batch: int
    received: int
    added: int


@router.post("/{shop_id}/messages", response={200: BatchOut})
def messages_post(request: HttpRequest, shop_id: int, payload: MessagesIn) -> BatchOut:
    """Store a batch of up to 5000 messages, all or none; re-sending a batch adds nothing. An
    invalid message answers 422 naming its 1-based position in `messages`."""
    shop, _ = api_shop(request, shop_id, Capability.MANAGE_TEAM)
    if not payload.messages:
        raise InvalidInput("no messages in the batch")
    records = [
        {**m.model_dump(), "time": m.time.isoformat()} for m in payload.messages[: MAX_API_ROWS + 1]
    ]
    user = request.user if isinstance(request.user, User) else None
    batch = chat_rows_import(
        shop=shop, records=records, source=payload.source[:100] or "api", acting_user=user
    )
    return BatchOut(batch=batch.pk, received=batch.rows, added=batch.added)
