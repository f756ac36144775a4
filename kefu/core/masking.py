"""Personal data masked for display: phone numbers, addresses and names. Pure: no Django.

Agents see `138****1234`; roles that need the full value reveal one at a time through a logged
POST (kefu.orders.contact_views). The export rows themselves keep the value as the platform gave
it; masking happens on the way to the screen."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

MASK = "****"

_DIGITS = re.compile(r"\d")
_WRAPPED = re.compile(r'^="(.*)"$')

# Where the platforms' order exports keep the buyer's contact details (FORMATS.md 1a, 1d). A
# key ending in a space is matched after stripping: the importers store headers stripped.
PHONE_KEYS = (
    "联系手机",  # Taobao/Tmall 订单报表
    "联系电话",  # Taobao/Tmall (landline), JD
    "收件人手机号",  # Douyin
    "用户购买手机号",  # Pinduoduo
    "收货人手机",
    "手机",
    "receiver_mobile",  # TOP trade API
    "receiver_phone",
)
NAME_KEYS = ("收货人姓名", "客户姓名", "收件人", "收货人", "receiver_name")
ADDRESS_KEYS = ("修改后的收货地址", "收货地址", "客户地址", "详细地址", "receiver_address")
REGION_KEYS = ("省", "市", "区", "街道", "街道/镇")


def _clean(value: str) -> str:
    """The platform's wrapping removed: ="…", a leading ' (phone numbers kept as text)."""
    text = value.strip()
    match = _WRAPPED.match(text)
    if match:
        text = match.group(1).strip()
    return text.removeprefix("'").strip()


def mask_phone(value: str) -> str:
    """`13812341234` → `138****1234`. Keeps the first 3 and the last 4 digits of a mobile number;
    a shorter number (a landline, an extension) keeps only its last 4 digits (or fewer when it is
    itself short); anything else around the digits (+86, dashes) is dropped."""
    digits = "".join(_DIGITS.findall(_clean(value)))
    if not digits:
        return ""
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) >= 11:
        return f"{digits[:3]}{MASK}{digits[-4:]}"
    keep = min(4, max(0, len(digits) - 3))
    return f"{MASK}{digits[-keep:]}" if keep else MASK


def mask_name(value: str) -> str:
    """`王小明` → `王**`: the family name only (one character), one * per hidden character."""
    text = _clean(value)
    if len(text) <= 1:
        return text
    return text[0] + "*" * (len(text) - 1)


# The administrative levels of an address are not personal; the street and number are.
_LEVEL = re.compile(r"自治区|特别行政区|省|市|自治州|州|盟|地区|区|县|旗")
_DISTRICT = {"区", "县", "旗"}


def mask_address(value: str) -> str:
    """Keep the province, city and district (what the courier and the reports need), mask the
    rest: `浙江省杭州市西湖区文三路100号5幢` → `浙江省杭州市西湖区****`. An address without a
    recognisable district keeps at most its first 6 characters and never more than half."""
    text = _clean(value)
    if not text:
        return ""
    if text.strip("*") == "":
        return text  # already masked by the platform (Pinduoduo's `****`)
    cut = 0
    for match in _LEVEL.finditer(text[:24]):
        cut = match.end()
        if match.group() in _DISTRICT:
            break
    if cut == 0 or cut >= len(text):
        cut = min(6, len(text) // 2)
    return f"{text[:cut]}{MASK}"


def _first(raw: Mapping[str, str], keys: tuple[str, ...]) -> tuple[str, str]:
    stripped = {str(k).strip(): v for k, v in raw.items()}
    for key in keys:
        value = _clean(str(stripped.get(key, "") or ""))
        if value and value.lower() != "null":
            return key, value
    return "", ""


@dataclass(frozen=True)
class Contact:
    """A buyer's contact details as one export row gave them, full and masked."""

    name: str = ""
    phone: str = ""
    address: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone or self.address)

    def masked(self) -> Contact:
        return Contact(
            name=mask_name(self.name),
            phone=mask_phone(self.phone),
            address=mask_address(self.address),
        )

    def field(self, name: str) -> str:
        if name not in CONTACT_FIELDS:
            raise ValueError(f"unknown contact field {name!r}")
        return str(getattr(self, name))


CONTACT_FIELDS = ("name", "phone", "address")


def contact_from_raw(raw: Mapping[str, str]) -> Contact:
    """The buyer's contact details in an imported export row (any platform's column names)."""
    _, name = _first(raw, NAME_KEYS)
    _, phone = _first(raw, PHONE_KEYS)
    _, address = _first(raw, ADDRESS_KEYS)
    stripped = {str(k).strip(): _clean(str(v or "")) for k, v in raw.items()}
    region = "".join(stripped.get(k, "") for k in REGION_KEYS if stripped.get(k, "") != "")
    if region and not address.startswith(region[:2]):
        address = region + address
    return Contact(name=name, phone=phone, address=address)
