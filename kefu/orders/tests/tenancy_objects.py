"""The orders app's URL objects for tests/test_tenancy.py (the unpaid-reminder pages)."""

from __future__ import annotations

import datetime as dt

from kefu.core.models import Shop
from kefu.orders.models import ImportBatch, Order, Reminder, ReminderBatch
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    batch = ImportBatch.objects.create(shop=shop, file_name="r.csv", sha256="1", kind="x")
    order = Order.objects.create(shop=shop, order_no="R1", status="wait_pay", batch=batch)
    day = dt.date(2026, 1, 5)
    reminders = ReminderBatch.objects.create(
        shop=shop,
        day=day,
        due_at=dt.datetime.combine(day, dt.time(16), tzinfo=shop.tzinfo),
        agent=assignment.agent,
        min_age_hours=0,
        policy_version=1,
    )
    reminder = Reminder.objects.create(shop=shop, batch=reminders, order=order)
    return {"reminder_batch_id": reminders.pk, "reminder_id": reminder.pk}
