"""Huey task: generate a roster in the background when the policy's time limit is long."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from huey.contrib.djhuey import db_task

from kefu.core.models import Shop
from kefu.rota.models import Roster
from kefu.rota.services import RUNNING, roster_generate


@db_task()
def roster_generate_task(shop_id: int, month: str, user_id: int | None) -> None:
    shop = Shop.objects.get(pk=shop_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        roster_generate(shop=shop, month=month, acting_user=user)
    except Exception:
        # Never leave the page polling a roster no worker is making.
        Roster.objects.filter(shop=shop, month=month, solver_status=RUNNING).update(
            solver_status="ERROR",
            explanations=[{"zh": "生成排班时出错，请重试", "en": "Generation failed; try again"}],
        )
        raise
