"""Personal data masked for display (kefu/core/masking.py, pure)."""

from __future__ import annotations

import pytest

from kefu.core.masking import Contact, contact_from_raw, mask_address, mask_name, mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812341234", "138****1234"),
        ("'18618486065", "186****6065"),  # Taobao's leading '
        ('="13812345678"', "138****5678"),  # Excel formula text
        ("+86 138-1234-5678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("8888777", "****8777"),  # a landline without area code
        ("12", "****"),
        ("", ""),
        ("无", ""),
    ],
)
def test_phone_numbers_keep_the_first_three_and_last_four_digits(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("浙江省杭州市西湖区文三路100号5幢", "浙江省杭州市西湖区****"),
        ("北京市朝阳区建国路1号", "北京市朝阳区****"),
        ("广西壮族自治区南宁市青秀区民族大道", "广西壮族自治区南宁市青秀区****"),
        ("浙江省 杭州市 西湖区 文三路", "浙江省 杭州市 西湖区****"),
        ("某某路1号", "某某****"),
        ("****", "****"),  # masked by the platform already
        ("", ""),
    ],
)
def test_addresses_keep_province_city_district(raw: str, masked: str) -> None:
    assert mask_address(raw) == masked


def test_names_keep_the_family_name() -> None:
    assert [mask_name(n) for n in ("王小明", "李雷", "张", "")] == ["王**", "李*", "张", ""]


def test_contact_from_each_platforms_columns() -> None:
    taobao = {
        "收货人姓名": "王小明",
        "收货地址 ": "浙江省杭州市西湖区文三路1号",
        "联系手机": "'13812345678",
    }
    assert contact_from_raw(taobao) == Contact(
        "王小明", "13812345678", "浙江省杭州市西湖区文三路1号"
    )
    douyin = {
        "收件人": "李雷",
        "收件人手机号": "13900001111",
        "省": "广东省",
        "市": "深圳市",
        "区": "南山区",
        "详细地址": "科技园1栋",
    }
    contact = contact_from_raw(douyin)
    assert contact.address == "广东省深圳市南山区科技园1栋"
    assert contact.masked() == Contact("李*", "139****1111", "广东省深圳市南山区****")
    assert contact_from_raw({"联系手机": "null"}).empty
