"""Jobs of the notify app: ids in, one service call, idempotent."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from kefu.notify import services

# A robot that fails (platform down, rate limit, network) is tried again after 1, 2 and 4
# minutes; after that the delivery stays "failed" with the platform's error for a person to see.
DELIVERY_RETRIES = 3
DELIVERY_RETRY_DELAY = 60  # seconds, doubled at each retry
DELIVERY_RETRY_BACKOFF = 2


class DeliveryFailed(Exception):
    """Raised so that Huey retries the delivery; the error itself is on the Delivery row."""


@db_task(
    retries=DELIVERY_RETRIES,
    retry_delay=DELIVERY_RETRY_DELAY,
    retry_backoff=DELIVERY_RETRY_BACKOFF,
)
def deliver_notice(delivery_id: int) -> None:
    """Send one robot delivery. Running it again after success sends nothing.

    Returns None on purpose: Huey stores any other return value as a result that nobody reads
    (in Redis, forever)."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome is services.DeliveryOutcome.FAILED:
        raise DeliveryFailed(f"delivery {delivery_id} failed; see its last_error")
