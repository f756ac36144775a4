"""The clock card's last punch: web punches say in or out, a machine punch says it did not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kefu.attendance.models import Punch
from kefu.attendance.tests.support import at


def last_punch_text(punch: Punch | None) -> str:
    with translation.override("zh-hans"):
        html = render_to_string(
            "attendance/_clock.html", {"last_punch": punch, "shop": SimpleNamespace(pk=1)}
        )
    start = html.index('data-testid="last-punch">') + len('data-testid="last-punch">')
    return html[start : html.index("</div>", start)].strip()


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("in", "上次打卡：2026年1月5日 07:58（上班）"),
        ("out", "上次打卡：2026年1月5日 07:58（下班）"),
        ("", "上次打卡：2026年1月5日 07:58（打卡机未标明上班或下班）"),
    ],
)
def test_the_last_punch_names_its_direction_or_says_the_machine_did_not(
    direction: str, expected: str
) -> None:
    assert last_punch_text(Punch(at=at(5, 7, 58, 12), direction=direction)) == expected


def test_no_punch_yet() -> None:
    assert last_punch_text(None) == "还没有打卡记录"
