"""Reading the flagging agent out of seller notes by the policy's conventions."""

from __future__ import annotations

from kefu.orders.importers.flags import (
    COMMISSION,
    SPECIAL_REQUEST,
    Convention,
    FlagReader,
    FlagReading,
)

CONVENTIONS = [
    Convention(SPECIAL_REQUEST, "red", "{content}_{agent}"),
    Convention(COMMISSION, "blue", "{agent}"),
]
AGENTS = {"慧兰": 7, "乐乐家居旗舰店:慧兰": 7, "小美": 8}


def read(note: str, flag: str | None) -> FlagReading | None:
    return FlagReader(CONVENTIONS, AGENTS).read(note, flag)


def test_special_request_with_red_flag():
    assert read("发邮政快递_慧兰", "red") == FlagReading(SPECIAL_REQUEST, "慧兰", 7, "发邮政快递")


def test_content_with_underscores_keeps_the_last_part_as_agent():
    assert read("改地址_到_南京_小美", "red") == FlagReading(
        SPECIAL_REQUEST, "小美", 8, "改地址_到_南京"
    )


def test_commission_with_blue_flag():
    assert read("慧兰", "blue") == FlagReading(COMMISSION, "慧兰", 7, "")


def test_unknown_name_under_the_right_flag_is_returned_without_an_agent():
    assert read("南京仓", "blue") == FlagReading(COMMISSION, "南京仓", None, "")
    assert read("送赠品_阿强", "red") == FlagReading(SPECIAL_REQUEST, "阿强", None, "送赠品")


def test_wrong_colour_or_no_note_reads_nothing():
    assert read("慧兰", "green") is None
    assert read("发邮政快递_慧兰", "blue") is None
    assert read("", "blue") is None


def test_without_a_flag_column_only_known_names_count():
    assert read("慧兰", None) == FlagReading(COMMISSION, "慧兰", 7, "")
    assert read("发邮政快递_慧兰", None) == FlagReading(SPECIAL_REQUEST, "慧兰", 7, "发邮政快递")
    assert read("南京仓", None) is None


def test_a_custom_template():
    reader = FlagReader([Convention(COMMISSION, "blue", "业绩:{agent}")], AGENTS)
    assert reader.read("业绩:小美", "blue") == FlagReading(COMMISSION, "小美", 8, "")
    assert reader.read("小美", "blue") is None
