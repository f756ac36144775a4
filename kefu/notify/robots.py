"""Chat-robot webhook senders: DingTalk 钉钉, WeCom 企业微信 and Feishu 飞书 group robots.

Pure Python on `requests`: no Django here (an import-linter contract forbids it), so a sender can
be tested against a local HTTP server and reused by any worker. Every request has a timeout,
never follows redirects (a webhook that redirects is misconfigured, and following it would let a
stored URL steer our POSTs elsewhere) and raises `RobotError` unless the platform confirms the
message. The clock is injectable so signatures can be checked against fixed vectors.

Signatures (the platforms' own documentation, restated so the code can be reviewed against it):

DingTalk custom robot, security setting "加签":
    timestamp      = current time in **milliseconds** (rejected when more than 1 hour off)
    string_to_sign = f"{timestamp}\\n{secret}"            (UTF-8)
    sign           = urlencode(base64(HMAC-SHA256(key=secret, msg=string_to_sign)))
    sent as query parameters: <webhook>&timestamp=<timestamp>&sign=<sign>
    reply: {"errcode": 0, "errmsg": "ok"}; e.g. errcode 310000 "sign not match".

WeCom group robot: no signature; the `key` in the webhook URL is the credential.
    reply: {"errcode": 0, "errmsg": "ok"}; e.g. errcode 93000 "invalid webhook url".

Feishu custom bot, security setting "签名校验":
    timestamp      = current time in **seconds** (rejected when more than 1 hour off)
    string_to_sign = f"{timestamp}\\n{secret}"            (UTF-8)
    sign           = base64(HMAC-SHA256(key=string_to_sign, msg=b""))
    (note the reversal: string_to_sign is the KEY and the message is empty)
    sent in the JSON body: {"timestamp": "<timestamp>", "sign": "<sign>", "msg_type": ...}
    reply: {"code": 0, "msg": "success"} (older replies also carry "StatusCode": 0);
    e.g. code 19021 "sign match fail or timestamp is not within one hour from current time".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import quote_plus, urlsplit

import requests

DINGTALK: Final = "dingtalk"
WECOM: Final = "wecom"
FEISHU: Final = "feishu"
KINDS: Final = (DINGTALK, WECOM, FEISHU)
LABELS: Final[Mapping[str, str]] = {DINGTALK: "DingTalk", WECOM: "WeCom", FEISHU: "Feishu"}

# The hosts the platforms publish their webhooks on. Channel validation accepts only these, so a
# webhook field cannot be used to make the server POST into the internal network (SSRF).
OFFICIAL_HOSTS: Final[Mapping[str, frozenset[str]]] = {
    DINGTALK: frozenset({"oapi.dingtalk.com"}),
    WECOM: frozenset({"qyapi.weixin.qq.com"}),
    FEISHU: frozenset({"open.feishu.cn", "open.larksuite.com"}),
}
SIGNED_KINDS: Final = frozenset({DINGTALK, FEISHU})

# (connect, read) seconds: the robots answer in well under a second; a hung platform must not
# hold a worker thread, the task is retried later instead.
DEFAULT_TIMEOUT: Final = (3.05, 10.0)

# WeCom rejects longer content (its documented limits, in UTF-8 bytes).
WECOM_TEXT_MAX_BYTES: Final = 2048
WECOM_MARKDOWN_MAX_BYTES: Final = 4096

# Every message ends with this line, so a robot protected by the "自定义关键词" (keyword)
# security setting accepts our messages when its keyword is 客服.
FOOTER: Final = "—— Kefu 客服"

Clock = Callable[[], float]
"""Seconds since the epoch, like time.time."""

MessageFormat = Literal["text", "markdown"]


@dataclass(frozen=True)
class RobotMessage:
    """What a robot posts: a title, a plain or markdown body and an optional absolute link."""

    title: str
    text: str = ""
    link: str = ""


class RobotError(Exception):
    """The platform did not accept the message. The text names the platform and its reason."""

    def __init__(
        self, *, kind: str, message: str, code: int | None = None, status: int | None = None
    ) -> None:
        self.kind = kind
        self.message = message
        self.code = code
        self.status = status
        parts = [f"{LABELS.get(kind, kind)} robot ({kind}): {message}"]
        if code is not None:
            parts.append(f"errcode {code}")
        if status is not None:
            parts.append(f"HTTP {status}")
        super().__init__(", ".join(parts))


# ---------------------------------------------------------------------------------- signatures


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature before URL encoding: base64(HMAC-SHA256(secret, "ts\\nsecret"))."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(*, webhook: str, secret: str, timestamp_ms: int) -> str:
    """The webhook with `&timestamp=...&sign=...` appended (sign URL-encoded, as DingTalk asks:
    base64 contains + / = which must not reach the query string raw)."""
    sign = quote_plus(dingtalk_sign(secret=secret, timestamp_ms=timestamp_ms))
    separator = "&" if urlsplit(webhook).query else "?"
    return f"{webhook}{separator}timestamp={timestamp_ms}&sign={sign}"


def feishu_sign(*, secret: str, timestamp: int) -> str:
    """Feishu's signature: base64(HMAC-SHA256(key="ts\\nsecret", msg=b"")), timestamp in s."""
    string_to_sign = f"{timestamp}\n{secret}".encode()
    digest = hmac.new(string_to_sign, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


# ------------------------------------------------------------------------------------ payloads


def _plain(message: RobotMessage) -> str:
    lines = [message.title, message.text, message.link, FOOTER]
    return "\n".join(line for line in lines if line)


def _markdown_body(message: RobotMessage, *, link_label: str = "查看详情") -> str:
    parts = [message.text]
    if message.link:
        parts.append(f"[{link_label}]({message.link})")
    parts.append(FOOTER)
    return "\n\n".join(part for part in parts if part)


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    ellipsis = "…"
    budget = max_bytes - len(ellipsis.encode())
    # errors="ignore" drops a multi-byte character cut in half at the boundary.
    return encoded[:budget].decode(errors="ignore") + ellipsis


def dingtalk_payload(message: RobotMessage, *, fmt: MessageFormat = "markdown") -> dict[str, Any]:
    if fmt == "text":
        return {"msgtype": "text", "text": {"content": _plain(message)}}
    # The markdown title is what DingTalk shows in the conversation list and the push preview.
    text = f"#### {message.title}\n\n{_markdown_body(message)}"
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}


def wecom_payload(message: RobotMessage, *, fmt: MessageFormat = "markdown") -> dict[str, Any]:
    if fmt == "text":
        content = _truncate_utf8(_plain(message), WECOM_TEXT_MAX_BYTES)
        return {"msgtype": "text", "text": {"content": content}}
    content = _truncate_utf8(
        f"**{message.title}**\n\n{_markdown_body(message)}", WECOM_MARKDOWN_MAX_BYTES
    )
    return {"msgtype": "markdown", "markdown": {"content": content}}


def feishu_payload(message: RobotMessage, *, fmt: MessageFormat = "markdown") -> dict[str, Any]:
    if fmt == "text":
        return {"msg_type": "text", "content": {"text": _plain(message)}}
    # Feishu renders markdown only inside a message card ("interactive").
    return {
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": message.title}},
            "elements": [{"tag": "markdown", "content": _markdown_body(message)}],
        },
    }


# ------------------------------------------------------------------------------------- sending


def _post_json(
    *,
    kind: str,
    url: str,
    payload: Mapping[str, Any],
    timeout: float | tuple[float, float],
    session: requests.Session | None,
) -> dict[str, Any]:
    """POST the payload; return the JSON reply of a 2xx answer, else raise RobotError.

    Errors never quote the URL: it carries the robot's access token."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    post = session.post if session is not None else requests.post
    host = urlsplit(url).hostname or "?"
    try:
        response = post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout as exc:
        raise RobotError(kind=kind, message=f"no answer from {host} within {timeout}s") from exc
    except requests.RequestException as exc:
        raise RobotError(kind=kind, message=f"cannot reach {host} ({type(exc).__name__})") from exc
    try:
        data = response.json()
    except ValueError:
        data = None
    if not 200 <= response.status_code < 300:
        reason, code = _platform_error(data)
        raise RobotError(
            kind=kind,
            message=reason or response.text[:200] or response.reason or "no reason given",
            code=code,
            status=response.status_code,
        )
    if not isinstance(data, dict):
        raise RobotError(
            kind=kind,
            message=f"the reply is not a JSON object: {response.text[:200]!r}",
            status=response.status_code,
        )
    return data


def _platform_error(data: object) -> tuple[str, int | None]:
    """(message, code) from an error reply of any of the three platforms, if it has them."""
    if not isinstance(data, dict):
        return "", None
    message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
    code = data.get("errcode", data.get("code", data.get("StatusCode")))
    return str(message), code if isinstance(code, int) else None


def _check_errcode(kind: str, data: Mapping[str, Any]) -> None:
    """DingTalk and WeCom: errcode 0 is success, anything else (or no errcode) is an error."""
    code = data.get("errcode")
    if code != 0:
        raise RobotError(
            kind=kind,
            message=str(data.get("errmsg") or f"unexpected reply {dict(data)!r}"),
            code=code if isinstance(code, int) else None,
        )


def send_dingtalk(
    *,
    webhook: str,
    message: RobotMessage,
    secret: str = "",
    fmt: MessageFormat = "markdown",
    clock: Clock = time.time,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> None:
    """Post to a DingTalk custom robot; signs the URL when the robot has a secret."""
    url = webhook
    if secret:
        url = dingtalk_signed_url(
            webhook=webhook, secret=secret, timestamp_ms=round(clock() * 1000)
        )
    data = _post_json(
        kind=DINGTALK,
        url=url,
        payload=dingtalk_payload(message, fmt=fmt),
        timeout=timeout,
        session=session,
    )
    _check_errcode(DINGTALK, data)


def send_wecom(
    *,
    webhook: str,
    message: RobotMessage,
    fmt: MessageFormat = "markdown",
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> None:
    """Post to a WeCom group robot (the `key` in the webhook is its only credential)."""
    data = _post_json(
        kind=WECOM,
        url=webhook,
        payload=wecom_payload(message, fmt=fmt),
        timeout=timeout,
        session=session,
    )
    _check_errcode(WECOM, data)


def send_feishu(
    *,
    webhook: str,
    message: RobotMessage,
    secret: str = "",
    fmt: MessageFormat = "markdown",
    clock: Clock = time.time,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> None:
    """Post to a Feishu custom bot; signs the body when the bot has a secret."""
    payload: dict[str, Any] = {}
    if secret:
        timestamp = int(clock())
        # Feishu's documentation sends the timestamp as a string.
        payload |= {
            "timestamp": str(timestamp),
            "sign": feishu_sign(secret=secret, timestamp=timestamp),
        }
    payload |= feishu_payload(message, fmt=fmt)
    data = _post_json(kind=FEISHU, url=webhook, payload=payload, timeout=timeout, session=session)
    # Current replies carry "code"; older ones only "StatusCode". Either must be 0.
    code = data.get("code", data.get("StatusCode"))
    if code != 0:
        raise RobotError(
            kind=FEISHU,
            message=str(
                data.get("msg") or data.get("StatusMessage") or f"unexpected reply {data!r}"
            ),
            code=code if isinstance(code, int) else None,
        )


def robot_send(
    *,
    kind: str,
    webhook: str,
    message: RobotMessage,
    secret: str = "",
    fmt: MessageFormat = "markdown",
    clock: Clock = time.time,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> None:
    """Send with the sender of `kind` (one of KINDS). A secret given to WeCom is an error: WeCom
    has no signing, and silently ignoring it would hide a misconfigured channel."""
    if kind == DINGTALK:
        send_dingtalk(
            webhook=webhook,
            message=message,
            secret=secret,
            fmt=fmt,
            clock=clock,
            timeout=timeout,
            session=session,
        )
    elif kind == WECOM:
        if secret:
            raise RobotError(kind=WECOM, message="WeCom robots have no signing secret")
        send_wecom(webhook=webhook, message=message, fmt=fmt, timeout=timeout, session=session)
    elif kind == FEISHU:
        send_feishu(
            webhook=webhook,
            message=message,
            secret=secret,
            fmt=fmt,
            clock=clock,
            timeout=timeout,
            session=session,
        )
    else:
        raise RobotError(kind=kind, message=f"unknown robot kind, expected one of {KINDS}")
