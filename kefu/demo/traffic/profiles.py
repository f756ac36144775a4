"""Ready-made inputs: the demo shop's catalogue, a two-shift rota and `demo_profile`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kefu.demo.traffic.model import Behaviour, Item, Month, Platform, ShopProfile

DEMO_SHOP = "乐乐家居旗舰店"
AGENT_NAMES = (
    "小美",
    "慧兰",
    "晓雯",
    "阿杰",
    "小琳",
    "婷婷",
    "子涵",
    "思远",
    "雨欣",
    "佳怡",
    "浩然",
    "梦琪",
    "小雪",
    "安安",
    "朵朵",
    "小满",
    "糖糖",
    "七七",
    "木子",
    "晴天",
)
CATALOGUE: tuple[Item, ...] = (
    Item("LL-BST-01", "乐乐家居 北欧实木床头柜 简约现代卧室储物柜", "159.00", "床头柜", 3.0),
    Item("LL-SJ-02", "乐乐家居 落地书架 置物架 客厅多层收纳架", "89.90", "书架", 2.5),
    Item("LL-CZ-03", "乐乐家居 实木餐桌椅组合 一桌四椅 小户型", "899.00", "餐桌", 1.0),
    Item("LL-YG-04", "乐乐家居 布艺衣柜 折叠简易衣橱 加粗钢管", "129.00", "衣柜", 2.0),
    Item("LL-XG-05", "乐乐家居 玄关鞋柜 超薄翻斗 大容量", "239.00", "鞋柜", 1.5),
    Item("LL-DZ-06", "乐乐家居 懒人沙发 豆袋 单人榻榻米", "199.00", "懒人沙发", 1.5),
    Item("LL-SZ-07", "乐乐家居 电脑桌 台式家用 书桌 卧室写字桌", "169.00", "书桌", 2.0),
    Item("LL-YZ-08", "乐乐家居 收纳凳 可坐 储物凳 换鞋凳", "59.90", "收纳凳", 2.0),
    Item("LL-CJ-09", "乐乐家居 茶几 小户型 客厅 简约 边几", "299.00", "茶几", 1.0),
    Item("LL-DG-10", "乐乐家居 床边挂篮 免打孔 收纳篮 两只装", "29.90", "挂篮", 2.5),
)


@dataclass(frozen=True)
class ShiftRota:
    """A weekly two-shift rota: agent i works shift i % shifts, rests on rota days.

    Default shifts are the usual Taobao pre-sales pair, early 08-17 and late 15-24, which
    overlap at 15-17 for the handover; nobody works 00-08, so night buyers wait for the
    morning (or leave). Each agent rests `rest_days` days a week, staggered by index.
    """

    sub_accounts: tuple[str, ...]
    shifts: tuple[tuple[int, int], ...] = ((8, 17), (15, 24))
    rest_days: int = 1
    overrides: Mapping[dt.date, Sequence[Sequence[str]]] = field(default_factory=dict)

    def __call__(self, date: dt.date) -> list[list[str]]:
        if date in self.overrides:
            return [list(h) for h in self.overrides[date]]
        hours: list[list[str]] = [[] for _ in range(24)]
        for i, nick in enumerate(self.sub_accounts):
            rest = {(i * 3 + r) % 7 for r in range(self.rest_days)}
            if date.weekday() in rest:
                continue
            start, end = self.shifts[i % len(self.shifts)]
            for h in range(start, end):
                hours[h].append(nick)
        return hours


def agent_nicks(shop: str, count: int) -> tuple[str, ...]:
    """`shop:小美`, ...; past the name list the names get a number, as big teams do."""
    names = [
        AGENT_NAMES[i % len(AGENT_NAMES)]
        + (str(i // len(AGENT_NAMES) + 1) if i >= len(AGENT_NAMES) else "")
        for i in range(count)
    ]
    return tuple(f"{shop}:{n}" for n in names)


def demo_profile(
    *,
    scale: float = 1.0,
    seed: int = 20260501,
    month: tuple[int, int] = (2026, 5),
    platform: Platform = Platform.TMALL,
    shop_name: str = DEMO_SHOP,
    agents: int | None = None,
    behaviour: Behaviour | None = None,
) -> ShopProfile:
    """The demo shop at a given scale; the team grows with the traffic (4 agents at scale 1)."""
    count = agents if agents is not None else max(4, math.ceil(4 * scale))
    nicks = agent_nicks(shop_name, count)
    return ShopProfile(
        shop_name=shop_name,
        platform=platform,
        sub_accounts=nicks,
        rota=ShiftRota(nicks),
        catalogue=CATALOGUE,
        month=Month(*month),
        seed=seed,
        scale=scale,
        behaviour=behaviour or Behaviour(),
    )
