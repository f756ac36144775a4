from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kefu.web.tests import scenario


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the default language: a response in English (LocaleMiddleware
    activates the request's language) must not leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario.freeze_now(monkeypatch)


@pytest.fixture
def team(db: None, frozen: None) -> scenario.Scenario:
    return scenario.build()


@pytest.fixture(scope="session")
def english_catalog() -> Path:
    """The compiled English catalogue: tests of English pages need it built from the .po."""
    po = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        pytest.fail(f"{mo} is missing or older than the .po: run `manage.py compilemessages`")
    return mo


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
