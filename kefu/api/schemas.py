from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ShopOut(Schema):
    id: int
    name: str
    platform: str
    timezone: str
    agency: str
    role: str


class MeOut(Schema):
    username: str
    shops: list[ShopOut]


class TokenOut(Schema):
    token: str
    note: str


class SubAccountOut(Schema):
    nickname: str
    active: bool


class LevelEligibilityOut(Schema):
    tenure_months: int
    eligible_level: str
    promotion_due: bool
    next_level: str | None
    next_on: dt.date | None


class AgentOut(Schema):
    id: int
    name: str
    level: str
    hire_date: dt.date
    probation_end: dt.date | None
    status: str
    duty: str
    team: str | None
    sub_accounts: list[SubAccountOut]
    eligibility: LevelEligibilityOut


class PolicyVersionOut(Schema):
    number: int
    effective_from: dt.date
    preset: str
    created_at: dt.datetime
    created_by: str | None
    note: str


class PolicyOut(Schema):
    version: PolicyVersionOut
    document: dict[str, Any]


class ErrorBody(Schema):
    code: str
    message: str
    details: list[Any]


class ErrorOut(Schema):
    error: ErrorBody


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadOut(Schema):
    marked: int
