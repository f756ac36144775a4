"""Reads of a shop's policy: the version in force on a date, the history, its audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from kefu.core.errors import NotFound
from kefu.core.models import AuditEntry, Shop
from kefu.policy.documents import PolicyError, policy_from_data
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import Policy

AUDIT_OBJECT_TYPE = "policy_version"


@dataclass(frozen=True)
class PolicyInForce:
    """A stored version and its document parsed into the typed Policy."""

    version: PolicyVersion
    policy: Policy

    @property
    def number(self) -> int:
        return self.version.number

    @property
    def effective_from(self) -> dt.date:
        return self.version.effective_from

    @property
    def name(self) -> str:
        """The policy's title, e.g. 淘宝客服管理制度（罚款制）."""
        return self.policy.meta.title


def parse_version(version: PolicyVersion) -> Policy:
    """The version's document as a Policy. Stored documents were validated on adoption; a
    failure here means the schema changed incompatibly, which must be loud, not a 404."""
    try:
        return policy_from_data(version.document)
    except PolicyError as exc:
        raise RuntimeError(
            f"stored policy version {version.pk} (shop {version.shop_id}, v{version.number}) "
            f"no longer validates: {'; '.join(exc.lines)}"
        ) from exc


def policy_in_force(*, shop: Shop, on: dt.date) -> PolicyInForce:
    """The latest version whose effective date is on or before `on` (ties: highest number)."""
    version = (
        PolicyVersion.objects.filter(shop=shop, effective_from__lte=on)
        .select_related("created_by")
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        if PolicyVersion.objects.filter(shop=shop).exists():
            raise NotFound(f"店铺「{shop.name}」在 {on.isoformat()} 还没有生效的管理制度")
        raise NotFound(f"店铺「{shop.name}」还没有管理制度，请先选用一个制度模板")
    return PolicyInForce(version=version, policy=parse_version(version))


def policy_versions(*, shop: Shop) -> QuerySet[PolicyVersion]:
    """Every version of the shop's policy, newest number first."""
    return PolicyVersion.objects.filter(shop=shop).select_related("created_by").order_by("-number")


def policy_latest(*, shop: Shop) -> PolicyVersion | None:
    return policy_versions(shop=shop).first()


def policy_audit(*, shop: Shop) -> QuerySet[AuditEntry]:
    """The audit entries of the shop's policy changes, newest first."""
    return (
        AuditEntry.objects.filter(shop=shop, object_type=AUDIT_OBJECT_TYPE)
        .select_related("actor")
        .order_by("-at", "-id")
    )
