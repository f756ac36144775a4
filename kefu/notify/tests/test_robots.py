"""The robot senders against a local HTTP server: exact requests, signatures, error replies.

The signature vectors were computed independently of kefu.notify.robots, with openssl:
  printf '1767225600000\\nSEC0123456789abcdef' \\
    | openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
  printf '' | openssl dgst -sha256 -hmac "$(printf '1767225600\\nfeishu-secret-42')" -binary \\
    | base64
and each test recomputes them again with hmac/base64 as a second check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import threading
from urllib.parse import quote_plus

import pytest
import requests

from kefu.notify import robots
from kefu.notify.robots import RobotError, RobotMessage

NOW = 1767225600.123  # 2026-01-01 00:00:00.123 UTC
DINGTALK_SECRET = "SEC0123456789abcdef"
DINGTALK_TS_MS = 1767225600123
FEISHU_SECRET = "feishu-secret-42"
FEISHU_TS = 1767225600

MESSAGE = RobotMessage(
    title="【排班缺口】周六晚班缺 1 人",
    text="旗舰店\n\n请主管安排",
    link="https://kefu.example.com/s/1/",
)


def fixed_clock() -> float:
    return NOW


def test_dingtalk_sign_matches_the_known_vector() -> None:
    ts = 1767225600000
    expected = "B0RWzLp5DJ68eWPlqN2is7j/CJw7WP3nV1RkTFHU+F4="
    by_hand = base64.b64encode(
        hmac.new(
            DINGTALK_SECRET.encode(), f"{ts}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    assert by_hand == expected
    assert robots.dingtalk_sign(secret=DINGTALK_SECRET, timestamp_ms=ts) == expected
    # + / = are URL-encoded, and the parameters are appended to the token already there.
    assert robots.dingtalk_signed_url(
        webhook="https://oapi.dingtalk.com/robot/send?access_token=abc",
        secret=DINGTALK_SECRET,
        timestamp_ms=ts,
    ) == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1767225600000"
        "&sign=B0RWzLp5DJ68eWPlqN2is7j%2FCJw7WP3nV1RkTFHU%2BF4%3D"
    )


def test_feishu_sign_matches_the_known_vector() -> None:
    expected = "h0ZLvTP3yzdjO3AUMcqV2nBS2Ux41T6aiCWAlO50Tew="
    # string_to_sign is the key, the message is empty: the reverse of DingTalk.
    by_hand = base64.b64encode(
        hmac.new(f"{FEISHU_TS}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert by_hand == expected
    assert robots.feishu_sign(secret=FEISHU_SECRET, timestamp=FEISHU_TS) == expected


def test_dingtalk_signed_markdown_request(robot_server) -> None:
    robots.send_dingtalk(
        webhook=robot_server.url("/robot/send?access_token=tok123"),
        secret=DINGTALK_SECRET,
        message=MESSAGE,
        clock=fixed_clock,
    )

    [request] = robot_server.requests
    assert request.path == "/robot/send"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    expected_sign = base64.b64encode(
        hmac.new(
            DINGTALK_SECRET.encode(),
            f"{DINGTALK_TS_MS}\n{DINGTALK_SECRET}".encode(),
            hashlib.sha256,
        ).digest()
    ).decode()
    assert request.query == {
        "access_token": ["tok123"],
        "timestamp": [str(DINGTALK_TS_MS)],
        "sign": [expected_sign],
    }
    # On the wire the sign is URL-encoded (parse_qs above decoded it).
    assert request.raw_query == (
        f"access_token=tok123&timestamp={DINGTALK_TS_MS}&sign={quote_plus(expected_sign)}"
    )
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "【排班缺口】周六晚班缺 1 人",
            "text": "#### 【排班缺口】周六晚班缺 1 人\n\n旗舰店\n\n请主管安排\n\n"
            "[查看详情](https://kefu.example.com/s/1/)\n\n—— Kefu 客服",
        },
    }


def test_dingtalk_without_secret_adds_no_signature_and_text_format(robot_server) -> None:
    robots.send_dingtalk(
        webhook=robot_server.url("/robot/send?access_token=tok123"),
        message=RobotMessage(title="标题", text="正文"),
        fmt="text",
        clock=fixed_clock,
    )

    [request] = robot_server.requests
    assert request.query == {"access_token": ["tok123"]}
    assert request.json == {"msgtype": "text", "text": {"content": "标题\n正文\n—— Kefu 客服"}}


def test_dingtalk_sign_not_match_raises_with_platform_message(robot_server) -> None:
    robot_server.reply_json({"errcode": 310000, "errmsg": "sign not match"})

    with pytest.raises(RobotError) as caught:
        robots.send_dingtalk(
            webhook=robot_server.url("/robot/send?access_token=tok123"),
            secret="SECwrong",
            message=MESSAGE,
            clock=fixed_clock,
        )

    assert caught.value.kind == "dingtalk"
    assert caught.value.code == 310000
    assert caught.value.message == "sign not match"
    assert str(caught.value) == "DingTalk robot (dingtalk): sign not match, errcode 310000"


def test_wecom_markdown_request(robot_server) -> None:
    robots.send_wecom(webhook=robot_server.url("/cgi-bin/webhook/send?key=k-1"), message=MESSAGE)

    [request] = robot_server.requests
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query == {"key": ["k-1"]}
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**【排班缺口】周六晚班缺 1 人**\n\n旗舰店\n\n请主管安排\n\n"
            "[查看详情](https://kefu.example.com/s/1/)\n\n—— Kefu 客服"
        },
    }


def test_wecom_text_is_cut_to_its_byte_limit() -> None:
    payload = robots.wecom_payload(RobotMessage(title="长", text="字" * 1000), fmt="text")

    content = payload["text"]["content"]
    assert len(content.encode()) <= robots.WECOM_TEXT_MAX_BYTES
    # "长\n" (4 bytes) + 680 whole 3-byte characters + "…" (3): the 681st would not fit.
    assert len(content.encode()) == 2047
    assert content.count("字") == 680
    assert content.endswith("字…")


def test_wecom_error_code(robot_server) -> None:
    robot_server.reply_json({"errcode": 93000, "errmsg": "invalid webhook url"})

    with pytest.raises(
        RobotError, match=r"^WeCom robot \(wecom\): invalid webhook url, errcode 93000$"
    ):
        robots.send_wecom(
            webhook=robot_server.url("/cgi-bin/webhook/send?key=bad"), message=MESSAGE
        )


def test_wecom_rejects_a_secret() -> None:
    with pytest.raises(RobotError, match="no signing secret"):
        robots.robot_send(kind="wecom", webhook="http://127.0.0.1:9/", secret="x", message=MESSAGE)


def test_feishu_signed_card_request(robot_server) -> None:
    robot_server.reply_json(
        {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}
    )

    robots.send_feishu(
        webhook=robot_server.url("/open-apis/bot/v2/hook/hook-uuid"),
        secret=FEISHU_SECRET,
        message=MESSAGE,
        clock=fixed_clock,
    )

    [request] = robot_server.requests
    assert request.path == "/open-apis/bot/v2/hook/hook-uuid"
    assert request.query == {}
    expected_sign = base64.b64encode(
        hmac.new(f"{FEISHU_TS}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert request.json == {
        "timestamp": "1767225600",
        "sign": expected_sign,
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": "【排班缺口】周六晚班缺 1 人"}},
            "elements": [
                {
                    "tag": "markdown",
                    "content": "旗舰店\n\n请主管安排\n\n[查看详情](https://kefu.example.com/s/1/)"
                    "\n\n—— Kefu 客服",
                }
            ],
        },
    }


def test_feishu_unsigned_text_request(robot_server) -> None:
    robot_server.reply_json({"code": 0, "data": {}, "msg": "success"})

    robots.send_feishu(
        webhook=robot_server.url("/open-apis/bot/v2/hook/h"),
        message=RobotMessage(title="标题"),
        fmt="text",
    )

    [request] = robot_server.requests
    assert request.json == {"msg_type": "text", "content": {"text": "标题\n—— Kefu 客服"}}


def test_feishu_sign_failure(robot_server) -> None:
    robot_server.reply_json(
        {
            "code": 19021,
            "data": {},
            "msg": "sign match fail or timestamp is not within one hour from current time",
        }
    )

    with pytest.raises(RobotError) as caught:
        robots.send_feishu(
            webhook=robot_server.url("/open-apis/bot/v2/hook/h"),
            secret="wrong",
            message=MESSAGE,
            clock=fixed_clock,
        )

    assert caught.value.kind == "feishu"
    assert caught.value.code == 19021
    assert "sign match fail" in str(caught.value)


def test_non_2xx_reply_names_kind_status_and_platform_message(robot_server) -> None:
    robot_server.reply_json({"errcode": 400, "errmsg": "bad request body"}, status=400)

    with pytest.raises(RobotError) as caught:
        robots.send_dingtalk(
            webhook=robot_server.url("/robot/send?access_token=t"), message=MESSAGE
        )

    assert str(caught.value) == "DingTalk robot (dingtalk): bad request body, errcode 400, HTTP 400"


def test_non_json_error_page(robot_server) -> None:
    robot_server.reply_raw(b"<html>502 Bad Gateway</html>", status=502)

    with pytest.raises(RobotError) as caught:
        robots.send_feishu(webhook=robot_server.url("/open-apis/bot/v2/hook/h"), message=MESSAGE)

    assert caught.value.status == 502
    assert caught.value.message == "<html>502 Bad Gateway</html>"


def test_success_status_with_non_json_body_is_an_error(robot_server) -> None:
    robot_server.reply_raw(b"ok", status=200, content_type="text/plain")

    with pytest.raises(RobotError, match="not a JSON object"):
        robots.send_wecom(webhook=robot_server.url("/cgi-bin/webhook/send?key=k"), message=MESSAGE)


def test_redirect_is_not_followed(robot_server) -> None:
    robot_server.reply_raw(b"", status=302)

    with pytest.raises(RobotError) as caught:
        robots.send_wecom(webhook=robot_server.url("/cgi-bin/webhook/send?key=k"), message=MESSAGE)

    assert caught.value.status == 302
    assert len(robot_server.requests) == 1


def test_timeout_is_a_robot_error_without_the_token(robot_server) -> None:
    release = threading.Event()
    robot_server.reply_hold(release)
    try:
        with pytest.raises(RobotError) as caught:
            robots.send_dingtalk(
                webhook=robot_server.url("/robot/send?access_token=secret-token"),
                message=MESSAGE,
                timeout=0.2,
            )
    finally:
        release.set()

    assert caught.value.message == "no answer from 127.0.0.1 within 0.2s"
    assert "secret-token" not in str(caught.value)


def test_connection_refused_is_a_robot_error() -> None:
    # A port that was free a moment ago and has no listener now.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(RobotError) as caught:
        robots.send_wecom(
            webhook=f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k", message=MESSAGE
        )

    assert caught.value.message == "cannot reach 127.0.0.1 (ConnectionError)"


def test_a_session_can_be_injected(robot_server) -> None:
    robot_server.reply_json({"code": 0, "data": {}, "msg": "success"})
    with requests.Session() as session:
        session.headers["X-Test"] = "1"
        robots.robot_send(
            kind="feishu",
            webhook=robot_server.url("/open-apis/bot/v2/hook/h"),
            message=MESSAGE,
            session=session,
        )

    assert robot_server.requests[0].headers["x-test"] == "1"


def test_unknown_kind() -> None:
    with pytest.raises(RobotError, match="unknown robot kind"):
        robots.robot_send(kind="slack", webhook="https://example.com", message=MESSAGE)
