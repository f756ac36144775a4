"""Item data 商品数据 as products: the item sheet a shop exports from its seller workbench
(出售中的宝贝 / 商品列表), xlsx or CSV, columns found by name. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from kefu.knowledge.phrase_file import PhraseFileError, cell, find_column, read_table

NAME_HEADERS = ("商品名称", "宝贝标题", "商品标题", "宝贝名称", "标题", "name")
ITEM_ID_HEADERS = ("商品ID", "宝贝ID", "商品id", "宝贝id", "item_id", "num_iid")
POINTS_HEADERS = ("卖点", "商品卖点", "selling_points")
SPEC_HEADERS = ("规格", "规格参数", "specifications")
NAME_MAX = 120
ITEM_ID_MAX = 40


@dataclass(frozen=True)
class ItemRow:
    line: int
    name: str
    item_id: str
    selling_points: str
    specifications: str


def _lines(text: str) -> str:
    """Selling points written in one cell as 卖点1；卖点2 become one per line."""
    return "\n".join(p.strip() for p in text.replace("；", "\n").splitlines() if p.strip())


def read_item_file(data: bytes, name: str) -> list[ItemRow]:
    """The item rows of a file, or PhraseFileError naming every bad line and column."""
    headers, table = read_table(data, name)
    name_at = find_column(headers, NAME_HEADERS)
    if name_at is None:
        raise PhraseFileError([f"{name} 第1行：缺少列 “商品名称”（表头为：{'、'.join(headers)}）"])
    id_at = find_column(headers, ITEM_ID_HEADERS)
    points_at, spec_at = find_column(headers, POINTS_HEADERS), find_column(headers, SPEC_HEADERS)
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
        rows.append(
            ItemRow(
                line,
                title,
                item_id,
                _lines(cell(values, points_at)),
                _lines(cell(values, spec_at)),
            )
        )
    if problems:
        raise PhraseFileError(problems)
    if not rows:
        raise PhraseFileError([f"{name}：没有商品（第2行起每行一个）"])
    return rows
