"""Shared pytest set-up: the repository root conftest."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what holds, not how fast: with no deadline a busy CI machine cannot fail
# them by timing (the default 200 ms per example did, under a load of 9 on two cores).
settings.register_profile("kefu", deadline=None)
settings.load_profile("kefu")

# The Playwright fixtures (one browser per test session, shared by every app's browser tests).
pytest_plugins = ["tests.browser.plugin"]

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the checkout; a missing folder fails loudly, it never skips."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"test data folder not found: {SHARED_DATA}")
    return SHARED_DATA
