"""Chat files for the import tests: the demo generator's Qianniu text, real ECD dialogues
written as Qianniu text, and small hand-written variants of FORMATS.md 1c."""

from __future__ import annotations

import functools
from pathlib import Path

from kefu.demo.traffic.exports import write_qianniu_chat
from kefu.demo.traffic.generate import generate_month
from kefu.demo.traffic.model import Traffic
from kefu.demo.traffic.profiles import demo_profile

SHOP = "乐乐家居旗舰店"


@functools.cache
def demo_traffic() -> Traffic:
    return generate_month(demo_profile(scale=0.2, seed=7, month=(2026, 5)))


def demo_chat(path: Path) -> Path:
    write_qianniu_chat(demo_traffic(), path)
    return path


def ecd_chat(shared_data: Path, dialogues: int) -> str:
    """The first `dialogues` correct ECD dialogues (label 1) as a Qianniu window copy: one buyer
    each, the turns alternating buyer / shop, one minute apart, the older nick-then-time layout
    with no space in every other header, separated by blank lines."""
    lines: list[str] = []
    source = shared_data / "ecd_taobao" / "ECD_sample_test.tsv"
    taken = 0
    for row in source.read_text(encoding="utf-8").splitlines():
        label, *turns = row.split("\t")
        if label != "1":
            continue
        buyer = f"ecd买家{taken}"
        for i, turn in enumerate(turns):
            nick = buyer if i % 2 == 0 else f"{SHOP}:小美"
            stamp = f"2026-3-{taken + 1} 10:{i:02d}:00"
            if i % 2:
                lines += [nick, stamp]
            else:
                lines.append(f"{nick}{stamp}")
            lines.append(turn.replace(" ", ""))
        lines.append("")
        taken += 1
        if taken == dialogues:
            break
    return "\r\n".join(lines)


VARIANTS = "\r\n".join(
    [
        "当前用户来自 商品详情页",
        "买家甲 2026-5-2 9:00:01",
        "你好 这个杯子保温吗",
        "https://item.taobao.com/item.htm?id=1",
        f"{SHOP} 2026-5-2 9:00:03",
        "[自动回复]欢迎光临",
        "已读",
        f"{SHOP}:小美2026-5-2 9:01:00",
        "保温的亲",
        "",
        "12小时都可以",
        "未读",
        "买家甲 撤回了一条消息",
        f"{SHOP}:小美 --> {SHOP}:阿杰 2026-5-2 9:02:00",
        f"{SHOP}:阿杰",
        "2026-5-2 9:03:00",
        "我来为您服务",
        "发送中",
        "",
        f"{SHOP}:阿杰 2026-5-2 9:10:00",
        "亲，昨天的订单已发货",
        "买家乙 2026-5-2 9:11:00",
        "好的",
        "买家乙 2026-5-2 9:11:00",
        "好的",
    ]
)
