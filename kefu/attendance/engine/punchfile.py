"""Punch-machine exports (ZKTeco 中控, 钉钉 原始打卡记录, generic CSV/xlsx) read into plain rows.
Pure: no Django. The columns accepted are listed in docs/attendance.md.

A file has a badge column (工号 and its other names) or a name column, and either one
date-time column (打卡时间 / 日期时间 / 签到时间) or a date column with a time column. Two
punches of one badge less than `DOUBLE_PUNCH` apart are refused (a duplicate or overlapping
punch), as is a time that does not parse. Every error names the file, the line and the column;
the caller saves nothing when there is one."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from kefu.attendance.engine.inputs import Direction
from kefu.orders.importers.reading import ImportFileError, Table, clean, read_table

DOUBLE_PUNCH = dt.timedelta(seconds=60)
"""Two punches of one badge closer than this are a duplicate or overlapping punch."""

BADGE = (
    "工号",
    "考勤号",
    "考勤号码",
    "登记号码",
    "人员编号",
    "员工编号",
    "用户ID",
    "UserId",
    "AC-No.",
    "No.",
)
NAME = ("姓名", "名字", "员工姓名", "Name")
DATETIME = ("打卡时间", "日期时间", "签到时间", "考勤时间", "刷卡时间", "Time", "DateTime")
DATE = ("日期", "考勤日期", "打卡日期", "Date")
TIME = ("时间", "打卡时刻")
DEVICE = ("设备", "机器号", "考勤机", "打卡设备", "设备名称", "Machine")
KIND = ("打卡类型", "状态", "签到类型", "State")

_IN = {"上班", "上班打卡", "签到", "in", "c/in", "checkin", "check-in", "上班签到"}
_OUT = {"下班", "下班打卡", "签退", "out", "c/out", "checkout", "check-out", "下班签退"}

_WEEKDAY_TAIL = re.compile(r"\s*(星期[一二三四五六日天]|周[一二三四五六日天])\s*$")
_CN_DATE = re.compile(r"^(\d{2,4})年(\d{1,2})月(\d{1,2})日$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%y-%m-%d", "%y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")


@dataclass(frozen=True)
class PunchRow:
    line: int
    badge: str
    name: str
    at: dt.datetime
    """Naive local time; the caller attaches the shop's zone."""
    direction: Direction
    device: str
    raw: dict[str, str]


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name.lower() in lowered:
            return lowered.index(name.lower())
    return None


def parse_date(text: str) -> dt.date:
    value = _WEEKDAY_TAIL.sub("", text.strip())
    match = _CN_DATE.match(value)
    if match:
        year = int(match.group(1))
        year = year + 2000 if year < 100 else year
        return dt.date(year, int(match.group(2)), int(match.group(3)))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError(f"不是日期：{text!r}")


def parse_time(text: str) -> dt.time:
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).time()  # noqa: DTZ007 - a time only
        except ValueError:
            continue
    raise ValueError(f"不是时间：{text!r}")


def parse_datetime(text: str) -> dt.datetime:
    value = " ".join(text.replace("T", " ").split())
    if " " in value:
        day, _, clock = value.rpartition(" ")
        return dt.datetime.combine(parse_date(day), parse_time(clock))
    raise ValueError(f"不是日期时间：{text!r}")


def _direction(text: str) -> Direction:
    value = text.strip().lower().replace(" ", "")
    if value in _IN:
        return "in"
    if value in _OUT:
        return "out"
    return ""


def punch_rows(data: bytes, filename: str) -> list[PunchRow]:
    """The punches of a file, in file order. Raises ImportFileError naming file, line and
    column for the first problem found."""
    table = read_table(data, filename)
    return rows_of_table(table)


def rows_of_table(table: Table) -> list[PunchRow]:
    name_of = table.filename
    header = table.header
    badge_col = _find(header, BADGE)
    name_col = _find(header, NAME)
    stamp_col = _find(header, DATETIME)
    date_col = _find(header, DATE)
    time_col = _find(header, TIME)
    device_col = _find(header, DEVICE)
    kind_col = _find(header, KIND)
    if badge_col is None and name_col is None:
        raise ImportFileError(
            name_of, f"缺少工号列（{'、'.join(BADGE[:5])}）或姓名列（姓名）", line=1
        )
    if stamp_col is None and (date_col is None or time_col is None):
        raise ImportFileError(
            name_of, "缺少打卡时间列（打卡时间、日期时间），或日期列与时间列", line=1
        )
    rows: list[PunchRow] = []
    for index, cells in enumerate(table.rows):
        line = table.line_of(index)

        def cell(col: int | None, cells: list[str] = cells) -> str:
            return clean(cells[col]) if col is not None and col < len(cells) else ""

        badge = cell(badge_col)
        name = cell(name_col)
        if not badge and not name:
            column = header[badge_col] if badge_col is not None else header[name_col or 0]
            raise ImportFileError(name_of, "工号和姓名都是空的", line=line, column=column)
        at = _when(
            stamp=cell(stamp_col) if stamp_col is not None else None,
            date=cell(date_col) if date_col is not None else None,
            clock=cell(time_col) if time_col is not None else None,
            header=header,
            cols=(stamp_col, date_col, time_col),
            where=(name_of, line),
        )
        rows.append(
            PunchRow(
                line=line,
                badge=badge,
                name=name,
                at=at,
                direction=_direction(cell(kind_col)),
                device=cell(device_col),
                raw={h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)},
            )
        )
    _check_doubles(rows, table)
    return rows


def _when(
    *,
    stamp: str | None,
    date: str | None,
    clock: str | None,
    header: list[str],
    cols: tuple[int | None, int | None, int | None],
    where: tuple[str, int],
) -> dt.datetime:
    """The punch time from a date-time cell (打卡时间 2026-01-05 08:29:10), or from a date cell
    and a time cell (钉钉: 考勤日期 26-01-05 星期一, 打卡时间 08:29)."""
    stamp_col, date_col, time_col = cols
    name_of, line = where
    if stamp is not None and (" " in stamp.strip() or "T" in stamp or date is None):
        try:
            return parse_datetime(stamp)
        except ValueError as exc:
            raise ImportFileError(
                name_of, str(exc), line=line, column=header[stamp_col or 0]
            ) from None
    assert date is not None and date_col is not None
    try:
        day = parse_date(date)
    except ValueError as exc:
        raise ImportFileError(name_of, str(exc), line=line, column=header[date_col]) from None
    text, col = (stamp, stamp_col) if stamp is not None else (clock or "", time_col)
    try:
        return dt.datetime.combine(day, parse_time(text))
    except ValueError as exc:
        raise ImportFileError(name_of, str(exc), line=line, column=header[col or 0]) from None


def time_column(table: Table) -> str:
    col = _find(table.header, DATETIME)
    if col is None:
        col = _find(table.header, TIME)
    return table.header[col] if col is not None else ""


def _check_doubles(rows: list[PunchRow], table: Table) -> None:
    """Two punches of one person closer than DOUBLE_PUNCH in the file: refused."""
    column = time_column(table)
    by_person: dict[str, list[PunchRow]] = {}
    for row in rows:
        by_person.setdefault(row.badge or f"name:{row.name}", []).append(row)
    for own in by_person.values():
        own = sorted(own, key=lambda r: (r.at, r.line))
        for earlier, later in itertools.pairwise(own):
            if later.at - earlier.at < DOUBLE_PUNCH:
                what = "重复打卡" if later.at == earlier.at else "打卡时间重叠"
                raise ImportFileError(
                    table.filename,
                    f"{what}：与第 {earlier.line} 行相隔不到 "
                    f"{int(DOUBLE_PUNCH.total_seconds())} 秒（{later.at:%Y-%m-%d %H:%M:%S}）",
                    line=max(later.line, earlier.line),
                    column=column,
                )
