"""Fixtures of the notify tests: a local robot server and Huey in immediate mode."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass(frozen=True)
class Recorded:
    """One request the robot server received."""

    method: str
    path: str
    raw_query: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"errcode": 0, "errmsg": "ok"}'
    content_type: str = "application/json"
    # When set, the handler waits for it before answering (to provoke a client timeout).
    hold: threading.Event | None = None


@dataclass
class RobotServer:
    """A stand-in for the DingTalk / WeCom / Feishu endpoints on 127.0.0.1.

    Requests are recorded before the reply is written, so once the client has its answer the
    record is there: tests read `requests` without waiting."""

    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    default: Reply = field(default_factory=Reply)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply_json(self, payload: Any, *, status: int = 200) -> None:
        """Queue the reply to the next request (replies are used in order, then `default`)."""
        self.replies.append(Reply(status=status, body=json.dumps(payload).encode()))

    def reply_raw(self, body: bytes, *, status: int, content_type: str = "text/html") -> None:
        self.replies.append(Reply(status=status, body=body, content_type=content_type))

    def reply_hold(self, event: threading.Event) -> None:
        self.replies.append(Reply(hold=event))

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _handler_for(server_state: RobotServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            with server_state.lock:
                server_state.requests.append(
                    Recorded(
                        method="POST",
                        path=parts.path,
                        raw_query=parts.query,
                        query=parse_qs(parts.query, keep_blank_values=True),
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                    )
                )
                reply = (
                    server_state.replies.pop(0) if server_state.replies else server_state.default
                )
            if reply.hold is not None:
                reply.hold.wait(timeout=10)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            # The timeout tests hang up on purpose before the reply comes.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def robot_server() -> Iterator[RobotServer]:
    state = RobotServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll interval only makes shutdown() return quickly (the default waits up to 0.5 s).
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="robot-server", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def huey_immediate() -> Iterator[Any]:
    """Huey executes tasks as they are enqueued, on in-memory storage (never the real queue)."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = previous
