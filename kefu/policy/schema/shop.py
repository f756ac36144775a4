"""Who the policy is for: the document's identity and the shop's platform, zone and currency."""

from __future__ import annotations

import zoneinfo
from typing import Literal

from pydantic import Field, field_validator

from kefu.policy.schema.base import StrictModel

Platform = Literal["taobao", "tmall", "jd", "pdd", "douyin", "kuaishou"]


class Meta(StrictModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    """Short name of the document, e.g. the preset it came from (`taobao-s4-fines`)."""
    title: str = Field(min_length=1)
    """Title shown to people, e.g. 淘宝客服管理制度（罚款制）."""
    source: str = Field(min_length=1)
    """Where the rules come from (the seed regime and its part), e.g. "S4.1 = seeds/004 第一篇"."""
    notes: str = ""
    """Free notes: what was borrowed from another seed and why."""


class Shop(StrictModel):
    platform: Platform
    """The marketplace the shop sells on: taobao, tmall, jd, pdd, douyin or kuaishou."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone in which every time of the policy is read."""
    currency: Literal["CNY"] = "CNY"
    """Currency of every amount (only CNY is supported)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Shanghai") from None
        return value
