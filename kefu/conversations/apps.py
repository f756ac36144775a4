from typing import Any

from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "kefu.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from kefu.policy.signals import policy_adopted

        policy_adopted.connect(_policy_adopted, dispatch_uid="conversations.kpi_days")


def _policy_adopted(sender: Any, *, version: Any, **kwargs: Any) -> None:
    """A new policy version: its days wait for a KPI recompute (kpi_services.policy_days_mark)."""
    from kefu.conversations.kpi_services import policy_days_mark

    policy_days_mark(version=version)
