"""What buyers and agents say: a small built-in phrase book of everyday 客服 Chinese.

Texts are picked by topic (category) so that a question about 快递 gets an answer about 快递.
`{item}` is the short name of the item the buyer is looking at, `{shop}` the shop's name.
Real utterances (e.g. the ECD Taobao corpus in tests and benchmarks) can be added as a
`corpus` topic at run time with `PhraseBook.with_corpus`; none are shipped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

BUYER: dict[str, tuple[str, ...]] = {
    "greet": ("在吗", "亲在吗", "你好", "您好，在吗？", "有人吗", "客服在不在", "亲 在", "hello"),
    "product": (
        "这款{item}是什么材质的？",
        "{item}质量怎么样",
        "{item}还有现货吗",
        "{item}有味道吗",
        "这个{item}和另一款有什么区别",
        "{item}会不会有色差",
        "{item}承重怎么样",
        "{item}好清洁吗",
    ),
    "size": (
        "{item}尺寸是多少",
        "多大的合适",
        "有没有大一点的",
        "卧室放得下吗",
        "规格怎么选",
        "{item}有几个颜色",
    ),
    "express": (
        "发什么快递",
        "可以发顺丰吗",
        "能发邮政吗？我们这里只有邮政",
        "包邮吗",
        "新疆包邮吗",
        "可以指定快递吗",
    ),
    "ship_when": (
        "什么时候发货",
        "今天能发货吗",
        "下午拍的今天能发吗",
        "多久能到",
        "几天能到上海",
        "现在拍什么时候到",
    ),
    "bargain": ("可以便宜点吗", "能优惠一点吗", "老顾客了有优惠吗", "买两个能便宜吗", "少点吧亲"),
    "coupon": ("有优惠券吗", "满减怎么算", "店铺券在哪里领", "会员有折扣吗"),
    "invoice": ("可以开发票吗", "发票怎么开", "能开专票吗"),
    "ordered": (
        "已拍，尽快发货哦",
        "拍好了，帮我备注一下",
        "已付款",
        "拍了，记得发邮政",
        "已下单，麻烦核对一下地址",
        "付好了",
    ),
    "pay_later": (
        "我晚点再付款",
        "先拍下，晚上付",
        "拍了，明天付款可以吗",
        "等下再付",
        "先拍了，回头付",
    ),
    "leave": (
        "好的，我再看看",
        "谢谢，我考虑一下",
        "好的",
        "嗯嗯，知道了",
        "那算了",
        "我对比一下再说",
    ),
    "think": ("明天再拍", "我问问家里人明天来拍", "好的，明天下单", "我量一下尺寸明天拍"),
    "as_where": (
        "我的快递到哪了",
        "怎么物流一直不更新",
        "快递显示签收了但我没收到",
        "什么时候能到啊",
        "帮我查一下物流",
    ),
    "as_not_shipped": ("怎么还没发货", "都两天了还不发货吗", "能催一下发货吗", "什么时候能发出"),
    "as_return": (
        "我想退货",
        "不喜欢可以退吗",
        "七天无理由怎么退",
        "退货地址发一下",
        "退款什么时候到账",
    ),
    "as_exchange": ("尺寸不合适能换吗", "可以换个颜色吗", "换货运费谁出", "{item}能换大一号的吗"),
    "as_damage": (
        "收到的有破损",
        "少发了一个配件",
        "东西坏了怎么办",
        "和图片不一样",
        "{item}有划痕",
    ),
    "as_usage": ("这个怎么安装", "有安装说明吗", "{item}怎么清洗", "螺丝少了一个"),
    "thanks": ("好的谢谢", "谢谢亲", "辛苦了", "好的，麻烦了", "嗯嗯好的"),
}

AGENT: dict[str, tuple[str, ...]] = {
    "greet": (
        "亲，在的呢，请问有什么可以帮您？",
        "您好，我是{shop}的客服，很高兴为您服务",
        "在的亲，您说",
    ),
    "product": (
        "亲，{item}是环保E0级板材，没有异味的哦",
        "亲，{item}现货充足，可以放心拍",
        "这款是我们店的爆款，好评率98%呢",
        "亲，实物和图片一致，不同显示器可能有轻微色差",
        "亲，{item}质量都是有保障的，支持七天无理由哦",
    ),
    "size": (
        "亲，{item}的尺寸在详情页第三张图有标注哦",
        "亲，建议您先量一下摆放位置再选规格",
        "大号的更受欢迎呢，放卧室刚好",
        "亲，目前有三个颜色可选：原木色、白色、胡桃色",
    ),
    "express": (
        "默认发中通和圆通，偏远地区除外哦",
        "亲，可以发邮政的，拍下后备注一下就好",
        "亲，全国包邮（新疆西藏除外）",
        "顺丰需要补差价哦亲",
    ),
    "ship_when": (
        "亲，16点前付款当天发货，之后的次日发出",
        "亲，48小时内发货哦",
        "一般3-5天到，江浙沪更快",
        "现在下单今天就能发出哦",
    ),
    "bargain": (
        "亲，价格已经是活动价了呢，可以领店铺券再减",
        "亲，我们是厂家直销，利润很薄了呢",
        "买两件可以打九五折哦",
        "亲，给您申请了一张5元的优惠券",
    ),
    "coupon": (
        "亲，首页可以领满199减20的券哦",
        "会员购物享九五折哦",
        "亲，店铺券在商品页价格下方领取",
    ),
    "invoice": ("亲，可以开电子发票，下单后在订单页申请就好", "专票需要提供开票信息哦"),
    "ordered": (
        "好的亲，已经为您备注了，会尽快安排发货",
        "收到，地址核对无误，感谢您的支持",
        "亲，已备注，今天就给您发出哦",
    ),
    "pay_later": (
        "好的亲，记得在今天16点前付款哦，当天发货",
        "好的，订单会为您保留，付款后尽快发出",
    ),
    "leave": ("好的亲，有需要随时找我哦", "没关系的，欢迎再来看看", "好的，祝您生活愉快"),
    "think": ("好的亲，明天来拍也有活动价的哦", "好的，尺寸不确定可以随时问我"),
    "as_where": (
        "亲，帮您查了一下，包裹已经到您所在城市了，今天会派送",
        "亲，物流可能有延迟，我这边帮您联系快递催一下",
        "亲，麻烦提供一下订单号，我帮您查一下",
    ),
    "as_not_shipped": (
        "亲，非常抱歉，仓库在加急处理，今天一定发出",
        "亲，帮您催了仓库，稍后会更新物流",
    ),
    "as_return": (
        "亲，支持七天无理由退货，在订单页申请退货就可以",
        "亲，退货地址已发您，寄回时请备注订单号",
        "退款会在仓库收货后24小时内处理哦",
    ),
    "as_exchange": ("亲，可以换的，请先申请退货，再重新拍一件", "亲，质量问题换货运费我们承担"),
    "as_damage": (
        "非常抱歉亲，麻烦拍一下照片，我们马上为您处理",
        "亲，给您补发配件，今天寄出",
        "亲，这边给您申请补偿，您看可以吗",
    ),
    "as_usage": ("亲，安装视频在详情页最下面哦", "亲，我发您一份安装说明，有问题随时找我"),
    "thanks": ("不客气亲，祝您生活愉快", "应该的，有问题随时联系我们哦"),
    "more": (
        "还有其他需要帮忙的吗？",
        "[微笑]",
        "亲可以放心拍哦",
        "有问题随时联系我们哦",
        "[玫瑰]",
    ),
    "auto_welcome": (
        "您好，欢迎光临{shop}，请问有什么可以帮您？",
        "亲，欢迎光临{shop}～客服马上为您服务，请稍等哦",
    ),
    "auto_offline": ("亲，现在是非工作时间，您可以先留言，客服上班后第一时间回复您哦",),
    "system_offline": ("原因：【离线留言自动分配】",),
}

PRE_SALES_TOPICS: tuple[tuple[str, float], ...] = (
    ("product", 0.35),
    ("size", 0.15),
    ("express", 0.15),
    ("ship_when", 0.15),
    ("bargain", 0.10),
    ("coupon", 0.07),
    ("invoice", 0.03),
)
AFTER_SALES_TOPICS: tuple[tuple[str, float], ...] = (
    ("as_where", 0.35),
    ("as_return", 0.2),
    ("as_exchange", 0.15),
    ("as_damage", 0.15),
    ("as_usage", 0.1),
    ("invoice", 0.05),
)
CORPUS = "corpus"


@dataclass(frozen=True)
class PhraseBook:
    buyer: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(BUYER))
    agent: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(AGENT))
    corpus_buyer: tuple[str, ...] = ()
    corpus_agent: tuple[str, ...] = ()

    def with_corpus(self, buyer: Iterable[str], agent: Iterable[str]) -> PhraseBook:
        b, a = tuple(buyer), tuple(agent)
        if not b or not a:
            raise ValueError("a corpus needs both buyer and agent utterances")
        return replace(self, corpus_buyer=b, corpus_agent=a)

    @property
    def has_corpus(self) -> bool:
        return bool(self.corpus_buyer)

    def categories(self) -> tuple[str, ...]:
        names = sorted(set(self.buyer) | set(self.agent))
        return (*names, CORPUS)


@dataclass(frozen=True)
class PhraseTable:
    """All phrases rendered for one shop, flat, so texts are picked by integer index.

    Categories with `{item}` are rendered once per catalogue item: index =
    base[c] + j * items + item; others: base[c] + j.
    """

    texts: pl.Series
    category: dict[str, int]
    buyer_base: npt.NDArray[np.int64]
    buyer_n: npt.NDArray[np.int64]
    buyer_per_item: npt.NDArray[np.bool_]
    agent_base: npt.NDArray[np.int64]
    agent_n: npt.NDArray[np.int64]
    agent_per_item: npt.NDArray[np.bool_]
    items: int

    def _index(
        self,
        base: npt.NDArray[np.int64],
        n: npt.NDArray[np.int64],
        per_item: npt.NDArray[np.bool_],
        cat: npt.NDArray[np.int64],
        draw: npt.NDArray[np.int64],
        item: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        if np.any(n[cat] == 0):
            raise ValueError("a phrase category used by the generator is empty")
        j = draw % n[cat]
        stride = np.where(per_item[cat], self.items, 1)
        return np.asarray(base[cat] + j * stride + np.where(per_item[cat], item, 0), dtype=np.int64)

    def buyer(
        self, cat: npt.NDArray[np.int64], draw: npt.NDArray[np.int64], item: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        return self._index(self.buyer_base, self.buyer_n, self.buyer_per_item, cat, draw, item)

    def agent(
        self, cat: npt.NDArray[np.int64], draw: npt.NDArray[np.int64], item: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        return self._index(self.agent_base, self.agent_n, self.agent_per_item, cat, draw, item)


def build_table(book: PhraseBook, shop_name: str, item_names: Sequence[str]) -> PhraseTable:
    cats = book.categories()
    index = {c: i for i, c in enumerate(cats)}
    texts: list[str] = []

    def side(
        source: Mapping[str, tuple[str, ...]], corpus: tuple[str, ...]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        base = np.zeros(len(cats), dtype=np.int64)
        n = np.zeros(len(cats), dtype=np.int64)
        per_item = np.zeros(len(cats), dtype=np.bool_)
        for c in cats:
            phrases = corpus if c == CORPUS else source.get(c, ())
            i = index[c]
            base[i], n[i] = len(texts), len(phrases)
            per_item[i] = any("{item}" in p for p in phrases)
            for p in phrases:
                p = p.replace("{shop}", shop_name)
                if per_item[i]:
                    texts.extend(p.replace("{item}", name) for name in item_names)
                else:
                    texts.append(p)
        return base, n, per_item

    bb, bn, bp = side(book.buyer, book.corpus_buyer)
    ab, an, ap = side(book.agent, book.corpus_agent)
    return PhraseTable(
        pl.Series("text", texts, dtype=pl.String), index, bb, bn, bp, ab, an, ap, len(item_names)
    )


def _unsegment(utterance: str) -> str:
    """ECD text is word-segmented with spaces; keep a space only between two Latin/digit words."""
    out = ""
    for token in utterance.split():
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and token[0].isascii()
            and token[0].isalnum()
        ):
            out += " "
        out += token
    return out


def load_ecd_utterances(path: Path, limit: int = 2000) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Buyer and agent utterances from an ECD `label \\t turns... \\t response` TSV file.

    Turns alternate buyer/agent starting with the buyer; only positive (label 1) rows are read,
    whose response is a real agent answer. For tests and benchmarks: the corpus is not shipped.
    """
    buyer: dict[str, None] = {}
    agent: dict[str, None] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3 or cols[0] != "1":
                continue
            turns = [_unsegment(t) for t in cols[1:-1]]
            for i, turn in enumerate(turns):
                if turn:
                    (buyer if i % 2 == 0 else agent)[turn] = None
            if response := _unsegment(cols[-1]):
                agent[response] = None
    return tuple(buyer)[:limit], tuple(agent)[:limit]
