"""How long a quick phrase may be, by platform. The policy schema has no key for it, so the
table lives here.

The figures are the limits of each platform's quick-reply (快捷短语) editor as Kefu's users
report them; the platforms do not publish them and change them silently, so they are kept
conservative (a phrase that fits here fits the platform). Correct a figure here, in one place,
when a platform's editor says otherwise."""

from __future__ import annotations

PHRASE_MAX_LENGTH: dict[str, int] = {
    "taobao": 300,  # 千牛 快捷短语
    "tmall": 300,  # 千牛 快捷短语 (same workbench as Taobao)
    "jd": 200,  # 京麦 / 咚咚 快捷回复
    "pdd": 300,  # 拼多多 商家工作台 快捷短语
    "douyin": 200,  # 抖店 飞鸽 快捷短语
    "kuaishou": 200,  # 快手 小店 快捷回复
}
DEFAULT_MAX_LENGTH = 200
"""For a platform not in the table: the smallest of the known limits."""


def phrase_max_length(platform: str) -> int:
    return PHRASE_MAX_LENGTH.get(platform, DEFAULT_MAX_LENGTH)
