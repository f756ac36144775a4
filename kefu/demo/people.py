"""Who is in the demo agency: plain data, so the generator and its tests read the same cast."""

from __future__ import annotations

from dataclasses import dataclass

AGENCY_NAME = "乐乐家居客服外包中心"
TMALL_SHOP = "乐乐家居旗舰店"
PDD_SHOP = "乐乐家居拼多多店"
DEMO_PASSWORD = "kefu-demo-2026"


@dataclass(frozen=True)
class DemoAgent:
    name: str
    tenure_months: int  # months since hire, counted back from the day the demo is loaded
    level_index: int  # position on the shop's level ladder (some are due a promotion)
    shops: tuple[str, ...]
    duty: str
    team: str


AGENTS: tuple[DemoAgent, ...] = (
    DemoAgent("小美", 26, 2, (TMALL_SHOP, PDD_SHOP), "pre_sales", "售前一组"),
    DemoAgent("慧兰", 30, 3, (TMALL_SHOP,), "after_sales", "售后组"),
    DemoAgent("晓雯", 14, 2, (TMALL_SHOP,), "pre_sales", "售前一组"),
    DemoAgent("阿杰", 9, 1, (TMALL_SHOP,), "pre_sales", "售前二组"),
    DemoAgent("小琳", 4, 0, (TMALL_SHOP,), "pre_sales", "售前二组"),
    DemoAgent("婷婷", 2, 0, (TMALL_SHOP,), "in_sales", "售前一组"),
    DemoAgent("子涵", 0, 0, (TMALL_SHOP,), "pre_sales", "售前二组"),
    DemoAgent("思远", 13, 1, (TMALL_SHOP,), "waybill", "售后组"),
    DemoAgent("雨欣", 19, 2, (TMALL_SHOP, PDD_SHOP), "after_sales", "售后组"),
    DemoAgent("佳怡", 7, 1, (PDD_SHOP,), "pre_sales", "拼多多组"),
    DemoAgent("浩然", 1, 0, (PDD_SHOP,), "pre_sales", "拼多多组"),
    DemoAgent("梦琪", 25, 3, (PDD_SHOP,), "complaints", "拼多多组"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display: str
    role: str
    shops: tuple[str, ...]
    agent_name: str = ""


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "系统管理员", "admin", (TMALL_SHOP, PDD_SHOP)),
    DemoLogin("wangfang", "王芳（天猫店主管）", "supervisor", (TMALL_SHOP,)),
    DemoLogin("liqiang", "李强（拼多多店主管）", "supervisor", (PDD_SHOP,)),
    DemoLogin("zhaomin", "赵敏（财务）", "finance", (TMALL_SHOP, PDD_SHOP)),
    DemoLogin("xiaomei", "小美（客服）", "agent", (TMALL_SHOP, PDD_SHOP), agent_name="小美"),
)
