from django.apps import AppConfig
from django.db.models.signals import post_save


class BuyersConfig(AppConfig):
    name = "kefu.buyers"
    label = "buyers"
    verbose_name = "Buyers"

    def ready(self) -> None:
        from kefu.buyers.signals import recompute_after_import
        from kefu.conversations.models import ImportBatch as ChatBatch
        from kefu.orders.models import ImportBatch as OrderBatch

        for model in (ChatBatch, OrderBatch):
            post_save.connect(
                recompute_after_import,
                sender=model,
                dispatch_uid=f"buyers-groups-{model._meta.label}",
            )
