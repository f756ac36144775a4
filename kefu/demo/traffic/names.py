"""Buyer nicknames, order and tracking numbers, masked receivers: vectorised, unique, seeded."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from kefu.demo.traffic.model import Platform


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ADJ = _words("快乐 幸福 可爱 安静 温柔 阳光 甜甜 小小 懒懒 微笑 淡定 开心 追梦 简单 蓝色 静静")
_NOUN = _words("小猫 蔓岩 橙子 兔兔 星星 月亮 小鱼 豆豆 西瓜 海风 麦兜 柚子 芒果 布丁 花生 云朵")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_MOBILE_PREFIXES = _words("138 139 135 136 137 150 151 152 158 159 186 187 188 177 199")
# (province, city, district): where the receivers live; enough variety for charts.
_PLACES = (
    ("浙江省", "杭州市", "西湖区"),
    ("浙江省", "宁波市", "鄞州区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("江苏省", "苏州市", "吴中区"),
    ("上海", "上海市", "浦东新区"),
    ("北京", "北京市", "朝阳区"),
    ("广东省", "广州市", "天河区"),
    ("广东省", "深圳市", "南山区"),
    ("四川省", "成都市", "武侯区"),
    ("湖北省", "武汉市", "洪山区"),
    ("山东省", "济南市", "历下区"),
    ("河南省", "郑州市", "金水区"),
    ("福建省", "厦门市", "思明区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("陕西省", "西安市", "雁塔区"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
)
_COURIERS = ("中通快递", "圆通速递", "韵达快递", "申通快递", "邮政快递包裹", "顺丰速运")
_COURIER_WEIGHTS = (0.32, 0.26, 0.18, 0.12, 0.08, 0.04)
_COURIER_PREFIX = ("7", "YT", "43", "77", "98", "SF")


def _pick(rng: np.random.Generator, words: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(words, dtype=pl.String).gather(rng.integers(0, len(words), n))


def _digits(values: npt.NDArray[np.int64], width: int) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.String).str.zfill(width)


def buyer_nicks(rng: np.random.Generator, n: int, platform: Platform) -> pl.Series:
    """`n` distinct buyer nicknames in the platforms' styles: tb/pdd + digits, or 幸福蔓岩1627."""
    if n == 0:
        return pl.Series("buyer", [], dtype=pl.String)
    numbered = pl.Series(["pdd" if platform is Platform.PDD else "tb"]).gather(
        np.zeros(n, np.int64)
    )
    numbered = numbered + _digits(rng.integers(10**8, 10**10, n), 10)
    worded = _pick(rng, _ADJ, n) + _pick(rng, _NOUN, n) + _digits(rng.integers(0, 10_000, n), 4)
    style = pl.Series(rng.random(n) < 0.4)
    nicks = pl.select(pl.when(style).then(numbered).otherwise(worded)).to_series()
    # Draws can collide; the later one gets a serial suffix, as the platforms make people do.
    frame = pl.DataFrame({"nick": nicks})
    rank = frame.select(pl.col("nick").cum_count().over("nick")).to_series() - 1
    fixed = pl.select(
        pl.when(rank > 0).then(nicks + "_" + rank.cast(pl.String)).otherwise(nicks)
    ).to_series()
    if fixed.n_unique() != n:  # a suffixed nick met a drawn one: astronomically rare
        fixed = fixed + "_" + pl.Series(np.arange(n)).cast(pl.String)
    return fixed.rename("buyer")


def order_numbers(
    rng: np.random.Generator,
    created_local_day: npt.NDArray[np.int64],
    first_day_ordinal: int,
    platform: Platform,
) -> pl.Series:
    """Unique order numbers in the platform's shape.

    Taobao/Tmall and Douyin: 19 digits; JD: 12 digits; Pinduoduo: `YYMMDD-` + 15 digits, the
    date being the creation date (importers fall back to it when 订单成交时间 is blank).
    """
    n = created_local_day.size
    if platform is Platform.PDD:
        digits = 15
        low, high = 10**14, 10**15
    elif platform is Platform.JD:
        digits = 12
        low, high = 2 * 10**11, 4 * 10**11
    elif platform is Platform.DOUYIN:
        digits = 19
        low, high = 4 * 10**18, 7 * 10**18
    else:
        digits = 19
        low, high = 10**18, 5 * 10**18
    numbers = rng.integers(low, high, n, dtype=np.int64)
    while np.unique(numbers).size != n:  # redraw only if the draw collided
        numbers = rng.integers(low, high, n, dtype=np.int64)
    body = _digits(numbers, digits)
    if platform is not Platform.PDD:
        return body.rename("order_no")
    days = pl.Series((created_local_day + first_day_ordinal).astype(np.int32))
    dates = pl.select(
        pl.from_epoch(days - 719_163, time_unit="d").dt.strftime("%y%m%d")
    ).to_series()
    return (dates + "-" + body).rename("order_no")


def receivers(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """Masked receiver name and mobile, place and courier for `n` orders."""
    name = _pick(rng, tuple(_SURNAMES), n) + "**"
    phone = _pick(rng, _MOBILE_PREFIXES, n) + "****" + _digits(rng.integers(0, 10_000, n), 4)
    place = rng.integers(0, len(_PLACES), n)
    courier = rng.choice(len(_COURIERS), n, p=np.asarray(_COURIER_WEIGHTS))
    tracking = pl.Series(_COURIER_PREFIX).gather(courier) + _digits(
        rng.integers(10**11, 10**13, n), 13
    )
    return pl.DataFrame(
        {
            "receiver": name,
            "phone": phone,
            "province": pl.Series([p[0] for p in _PLACES]).gather(place),
            "city": pl.Series([p[1] for p in _PLACES]).gather(place),
            "district": pl.Series([p[2] for p in _PLACES]).gather(place),
            "tracking_no": tracking,
            "courier": pl.Series(_COURIERS).gather(courier),
        }
    )
