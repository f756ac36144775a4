"""The after-sales app's URL objects for tests/test_tenancy.py."""

from __future__ import annotations

from kefu.aftersales.ledger import payment_record
from kefu.aftersales.services import case_open, case_photo_add
from kefu.aftersales.tests.images import PNG
from kefu.core.models import Shop
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    case = case_open(
        shop=shop,
        type="quality_problem",
        buyer_nick="买家",
        agent=assignment.agent,
        acting_user=None,
    )
    photo = case_photo_add(shop=shop, case=case, data=PNG, name="a.png", acting_user=None)
    payment = payment_record(
        shop=shop, agent=assignment.agent, content="补偿", amount="5", case=case, acting_user=None
    )
    return {"case_id": case.pk, "photo_id": photo.pk, "payment_id": payment.pk}
