# The project's Playwright fixtures, for this app's browser tests (test_browser.py).
from tests.browser.conftest import browser, page, playwright_instance  # noqa: F401
