from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_interface_is_chinese_whatever_the_browser_asks() -> None:
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "zh-hans"


def test_the_language_switch_chooses_english() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert client.get("/login/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert client.get("/login/").headers["Content-Language"] == "zh-hans"
