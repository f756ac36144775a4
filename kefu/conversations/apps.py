from typing import Any

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "kefu.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from kefu.policy.signals import policy_adopted

        policy_adopted.connect(_policy_adopted, dispatch_uid="conversations.kpi_days")
        from django.db.models.signals import post_save

        from kefu.orders.models import ImportBatch as OrderImportBatch

        post_save.connect(
            _orders_imported, sender=OrderImportBatch, dispatch_uid="conversations.order_days"
        )


def _policy_adopted(sender: Any, *, version: Any, **kwargs: Any) -> None:
    """A new policy version: its days wait for a KPI recompute (kpi_services.policy_days_mark)."""
    from kefu.conversations.kpi_services import policy_days_mark

    policy_days_mark(version=version)


def _orders_imported(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """An order import: once it commits, the days of its new and changed orders wait for a KPI
    recompute (conversion and sales read orders; kpi_services.order_days_mark)."""
    if not created:
        return
    from django.db import transaction

    from kefu.conversations.kpi_services import order_days_mark

    batch_id = instance.pk
    transaction.on_commit(lambda: order_days_mark(batch_id=batch_id))
