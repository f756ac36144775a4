"""Each case type's path (engine/paths.py, pure): what stops a case from being resolved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kefu.aftersales.engine.paths import CaseFacts, allowed_resolutions, resolution_problems
from kefu.aftersales.engine.photos import photo_problem, sniff_image
from kefu.aftersales.tests.images import GIF, JPEG, PDF, PNG, WEBP

BASE = CaseFacts(
    type="not_as_expected",
    remedies_allowed=("apology", "explanation", "compensation", "exchange", "return"),
    photo_evidence=False,
    record_party_at_fault=True,
    steps_done=1,
    chat_read=False,
    photos=0,
    party="product",
    signed_for=None,
    resolution="compensation",
    coupon=False,
)


def test_not_as_expected_needs_a_step_a_party_and_an_allowed_remedy() -> None:
    assert resolution_problems(BASE) == []
    assert resolution_problems(replace(BASE, steps_done=0, party="", resolution="reship")) == [
        "还没有完成任何处理步骤（先联系买家，如致歉）",
        "请先判定责任方",
        "处理结果「reship」不在此类售后允许的处理方式中",
    ]


def test_service_unhappy_needs_the_chat_log_read_and_the_fault_even_when_not_required() -> None:
    facts = replace(
        BASE,
        type="service_unhappy",
        remedies_allowed=("compensation", "exchange", "return"),
        record_party_at_fault=False,
        party="",
    )
    assert resolution_problems(facts) == ["请先查看该买家的聊天记录", "请先判定责任方"]
    assert resolution_problems(replace(facts, chat_read=True, party="staff")) == []


MISSING = replace(
    BASE,
    type="missing_items",
    remedies_allowed=("apology", "reship", "coupon"),
    photo_evidence=True,
    chat_read=True,
    resolution="reship",
)


def test_missing_items_ours_is_reshipped_with_a_coupon_without_a_photo() -> None:
    ours = replace(MISSING, party="warehouse")
    assert resolution_problems(ours) == ["责任在我方：补发的同时请发放优惠券"]
    assert resolution_problems(replace(ours, coupon=True)) == []
    assert allowed_resolutions(ours) == ("reship",)


def test_missing_items_not_ours_needs_the_buyers_photo_first() -> None:
    theirs = replace(MISSING, party="none")
    assert resolution_problems(theirs) == ["此类售后需要买家提供的照片作为凭证"]
    assert resolution_problems(replace(theirs, photos=1)) == []


def test_late_delivery_needs_the_cause() -> None:
    late = replace(
        BASE,
        type="late_delivery",
        remedies_allowed=("apology", "explanation"),
        record_party_at_fault=False,
        party="",
        resolution="explanation",
    )
    assert resolution_problems(late) == ["请先判定责任方"]
    assert resolution_problems(replace(late, party="courier")) == []


DAMAGED = replace(
    BASE,
    type="damaged_in_transit",
    remedies_allowed=("compensation", "exchange", "return"),
    photo_evidence=True,
    party="courier",
)


def test_damaged_in_transit_signed_needs_photos_not_signed_goes_back() -> None:
    assert resolution_problems(DAMAGED) == ["请先确认买家是否已签收"]
    signed = replace(DAMAGED, signed_for=True)
    assert resolution_problems(signed) == ["此类售后需要买家提供的照片作为凭证"]
    assert resolution_problems(replace(signed, photos=2)) == []
    unsigned = replace(DAMAGED, signed_for=False)
    assert allowed_resolutions(unsigned) == ("return",)
    assert resolution_problems(unsigned) == ["处理结果「compensation」不在此类售后允许的处理方式中"]
    assert resolution_problems(replace(unsigned, resolution="return")) == []


def test_quality_problem_always_needs_photos() -> None:
    quality = replace(
        BASE,
        type="quality_problem",
        remedies_allowed=("apology", "compensation", "exchange", "return"),
        photo_evidence=True,
        resolution="exchange",
    )
    assert resolution_problems(quality) == ["此类售后需要买家提供的照片作为凭证"]
    assert resolution_problems(replace(quality, photos=1)) == []


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_images_are_recognised_by_their_bytes(data: bytes, kind: str) -> None:
    assert sniff_image(data) == kind
    assert photo_problem(data, "a") is None


def test_not_an_image_empty_or_too_large_is_refused_with_the_reason() -> None:
    assert (
        photo_problem(PDF, "发票.jpg") == "发票.jpg：不是图片（只接受 JPEG、PNG、GIF、WebP 格式）"
    )
    assert photo_problem(b"", "a.png") == "a.png：文件是空的"
    big = PNG + b"\x00" * (10 * 1024 * 1024)
    assert photo_problem(big, "big.png") == "big.png：文件太大（10.0 MB），照片最大 10 MB"
