"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's
live_server. Never a downloaded browser: /usr/bin/chromium (Debian package `chromium`).

Each test gets a `page` whose console errors, page errors and failed requests are collected;
`shot(page, name)` saves a full-page screenshot to test-artifacts/screens/<name>.png and
`assert_clean(page)` fails on anything collected so far."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-artifacts" / "screens"
BUILT_CSS = ROOT / "kefu" / "web" / "static" / "dist" / "tabler" / "css" / "tabler.min.css"


@dataclass
class PageProblems:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed_requests


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    if not BUILT_CSS.exists():
        pytest.fail(f"{BUILT_CSS} is missing: front-end assets not built; run npm run build")
    # The sync API runs an asyncio loop in this thread; Django's ORM, used by the tests to
    # create their data, refuses to run while a loop is running unless told it is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 860},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.console_errors.append(f"console: {message.text} ({message.location})")

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        problems.failed_requests.append(f"failed {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(f"page error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.kefu_problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


def problems_of(page: Page) -> PageProblems:
    return page.kefu_problems  # type: ignore[attr-defined, no-any-return]


def assert_clean(page: Page) -> None:
    """No console error, uncaught exception or failed sub-request so far on this page."""
    found = problems_of(page).all()
    assert found == [], "the page had errors:\n  " + "\n  ".join(found)


def assert_styled(page: Page) -> None:
    """Tabler's CSS, our CSS and the icon font are loaded (a missing asset build fails here)."""
    styles = page.evaluate(
        """() => {
            const root = getComputedStyle(document.documentElement);
            return {
                tabler: root.getPropertyValue('--tblr-primary').trim(),
                kefu: root.getPropertyValue('--kefu-brand').trim(),
                font: getComputedStyle(document.body).fontFamily,
            };
        }"""
    )
    assert styles["tabler"], (
        "Tabler's CSS did not load (static/dist is missing): run `npm ci && npm run build`"
    )
    assert styles["kefu"] == "#206bc4", "kefu/kefu.css did not load"
    assert "Noto Sans CJK SC" in styles["font"], styles["font"]


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screens/<name>.png.

    The window is first made as tall as the page, so fixed parts (the sidebar) are drawn the
    way a person sees them rather than cut at the first screen's height."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    viewport = page.viewport_size or {"width": 1366, "height": 860}
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path
