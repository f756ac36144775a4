"""Item data 商品数据 as products: the item sheet a shop exports from its seller workbench
(出售中的宝贝 / 商品列表), xlsx or CSV, columns found by name. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from kefu.knowledge.phrase_file import PhraseFileError, cell, find_column, read_table

NAME_HEADERS = ("商品名称", "宝贝标题", "商品标题", "宝贝名称", "标题", "name")
ITEM_ID_HEADERS = ("商品ID", "宝贝ID", "商品id", "宝贝id", "item_id", "num_iid")
POINTS_HEADERS = ("卖点", "商品卖点", "selling_points")
SPEC_HEADERS = ("规格", "规格参数", "specifications")
# The stock of a listed item. Not 购买数量 (the quantity bought, in the 宝贝报表 order lines).
STOCK_HEADERS = ("库存", "库存数量", "宝贝库存", "可售库存", "宝贝数量", "商品数量", "stock", "num")
NAME_MAX = 120
ITEM_ID_MAX = 40


@dataclass(frozen=True)
class ItemRow:
    line: int
    name: str
    item_id: str
    selling_points: str
    specifications: str
    stock: int | None = None
    """Pieces in stock, when the sheet has a stock column and the cell is not blank."""


def _lines(text: str) -> str:
    """Selling points written in one cell as 卖点1；卖点2 become one per line."""
    return "\n".join(p.strip() for p in text.replace("；", "\n").splitlines() if p.strip())


def _pieces(text: str) -> int | None:
    """A stock count: a whole number of pieces, 0 or more (xlsx gives 12 as 12.0)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


def read_item_file(data: bytes, name: str) -> list[ItemRow]:
    """The item rows of a file, or PhraseFileError naming every bad line and column."""
    headers, table = read_table(data, name)
    name_at = find_column(headers, NAME_HEADERS)
    if name_at is None:
        raise PhraseFileError([f"{name} 第1行：缺少列 “商品名称”（表头为：{'、'.join(headers)}）"])
    id_at = find_column(headers, ITEM_ID_HEADERS)
    points_at, spec_at = find_column(headers, POINTS_HEADERS), find_column(headers, SPEC_HEADERS)
    stock_at = find_column(headers, STOCK_HEADERS)
    rows: list[ItemRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, values in table:
        title, item_id = cell(values, name_at), cell(values, id_at)
        where = f"{name} 第{line}行"
        if not title:
            problems.append(f"{where} {get_column_letter(name_at + 1)}列：商品名称为空")
        elif len(title) > NAME_MAX:
            problems.append(
                f"{where} {get_column_letter(name_at + 1)}列：商品名称最多 {NAME_MAX} 个字"
            )
        elif title in seen:
            problems.append(f"{where}：商品“{title}”与第{seen[title]}行重复")
        if id_at is not None and len(item_id) > ITEM_ID_MAX:
            problems.append(f"{where} {get_column_letter(id_at + 1)}列：商品ID太长")
        seen.setdefault(title, line)
        stock_text = cell(values, stock_at).replace(",", "").replace("件", "").strip()
        stock: int | None = None
        if stock_text and stock_at is not None:
            stock = _pieces(stock_text)
            if stock is None:
                problems.append(
                    f"{where} {get_column_letter(stock_at + 1)}列：库存“{stock_text}”"
                    "不是件数（应为 0 或正整数）"
                )
        rows.append(
            ItemRow(
                line,
                title,
                item_id,
                _lines(cell(values, points_at)),
                _lines(cell(values, spec_at)),
                stock,
            )
        )
    if problems:
        raise PhraseFileError(problems)
    if not rows:
        raise PhraseFileError([f"{name}：没有商品（第2行起每行一个）"])
    return rows
