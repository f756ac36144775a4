"""The starting quick-reply library: the courtesy phrase sets of S4.2 (greetings, thanks,
apologies, acknowledgements, offers of help, explanations, negotiation, farewells) and the
scenes every shop meets (shipping, out of stock, after-sales). Written to pass the banned and
avoid lists of every shipped preset: out of stock says 工厂不再生产了, never 我们不补货了."""

from __future__ import annotations

STARTER_PHRASES: tuple[tuple[str, str, str], ...] = (
    # (group 分组, shortcut 快捷编码, text)
    ("问候", "hi", "您好，欢迎光临本店，我是客服，很高兴为您服务，请问有什么可以帮您的吗？"),
    ("问候", "zai", "亲，您好，客服在的哦，请问您想了解哪款商品呢？"),
    ("感谢", "xx", "谢谢您的支持与信任，有任何问题随时联系我们哦。"),
    ("致歉", "sorry", "对不起，让您久等了，我马上为您查询，请稍等一下哦。"),
    ("确认", "ok", "好的，亲，您的要求我已经记下了，请您放心。"),
    ("帮助", "help", "请问还有什么可以帮到您的吗？"),
    ("解释", "jieshi", "亲，这款商品的规格在详情页有详细说明，我也可以为您逐项介绍哦。"),
    (
        "议价",
        "jia",
        "亲，我们的价格已经是活动价了，品质有保障，现在下单还可以享受店铺优惠券哦。",
    ),
    ("议价", "quan", "亲，您可以领取店铺首页的优惠券，下单时自动抵扣，更划算哦。"),
    ("物流", "fh", "亲，付款后48小时内为您发货，发货后可以在订单详情里查看物流信息哦。"),
    ("物流", "kd", "亲，我们默认发中通快递，如需其他快递请您下单时备注，我们尽量为您安排。"),
    ("缺货", "qh", "非常抱歉，这款商品工厂不再生产了，您看看这款同类商品是否合适呢？"),
    ("售后", "sh", "亲，给您带来不便非常抱歉，麻烦您拍一下商品问题的照片，我马上为您处理。"),
    ("售后", "th", "亲，商品支持七天无理由退换，请您在订单里申请退货，我们收到后尽快为您处理。"),
    ("告别", "bye", "感谢您的光临，祝您生活愉快，再见！"),
    ("告别", "hp", "亲，收到商品满意的话，麻烦您给个好评哦，期待您再次光临，再见！"),
)

SCENES: tuple[str, ...] = (
    "问候",
    "议价",
    "物流",
    "缺货",
    "售后",
    "感谢",
    "致歉",
    "确认",
    "帮助",
    "解释",
    "告别",
)
"""The order groups are shown in: a buyer's conversation from greeting to farewell. Groups a
shop adds come after these, by name."""


def group_rank(group: str) -> tuple[int, str]:
    return (SCENES.index(group), "") if group in SCENES else (len(SCENES), group)
