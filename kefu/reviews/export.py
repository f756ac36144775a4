"""The 中差评记录表 as xlsx, in the seeds' column order (S4.4 §4.2①: 时间、旺旺ID、联系电话、
购买物品、评价内容、严重程度、处理状态、进展状况), then Kefu's extra columns."""

from __future__ import annotations

import io
from collections.abc import Iterable

import openpyxl
from openpyxl.styles import Font

from kefu.core.models import Shop
from kefu.reviews.models import Review
from kefu.reviews.selectors import mask_phone

HEADERS = (
    "时间",
    "旺旺ID",
    "联系电话",
    "购买物品",
    "评价内容",
    "严重程度",
    "处理状态",
    "进展状况",
    "订单号",
    "评价结果",
    "追加评论",
    "答应修改日期",
    "处理客服",
    "责任客服",
)
WIDTHS = (18, 16, 14, 24, 48, 10, 12, 14, 22, 8, 30, 12, 10, 10)


def _progress(review: Review) -> str:
    text = review.get_progress_display() if review.progress else ""
    if review.promised_by is not None:
        text = f"答应{review.promised_by:%m月%d日}修改"
    return text


def review_rows(*, shop: Shop, reviews: Iterable[Review], reveal_phone: bool) -> list[list[str]]:
    rows = []
    for review in reviews:
        local = review.rated_at.astimezone(shop.tzinfo)
        rows.append(
            [
                local.strftime("%Y-%m-%d %H:%M"),
                review.buyer_nick,
                review.phone if reveal_phone else mask_phone(review.phone),
                review.item_title,
                review.content,
                review.get_severity_display() if review.severity else "",
                review.contact_status,
                _progress(review),
                review.order_no,
                review.get_rating_display(),
                review.append_content,
                f"{review.promised_by:%Y-%m-%d}" if review.promised_by else "",
                review.handler.name if review.handler else "",
                review.caused_by.name if review.caused_by else "",
            ]
        )
    return rows


def write_review_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "中差评记录表"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for entry in sheet[sheet.max_row]:
            entry.data_type = "s"  # a review starting with "=" is text, never a formula
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
