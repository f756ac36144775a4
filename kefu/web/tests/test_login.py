"""Signing in, the error for bad credentials, and the lock-out after repeated failures."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.web.tests.scenario import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_renders():
    response = Client().get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "登录 Kefu 客服" in html
    assert 'name="username"' in html
    assert 'name="password"' in html


def test_bad_password_shows_the_error(team):
    response = post_login(Client(), "zhuguan", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确，请重新输入。注意区分大小写。" in response.content.decode()


def test_good_password_lands_on_the_dashboard(team):
    client = Client()
    response = post_login(client, "zhuguan", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    landing = client.get("/", follow=True)
    assert landing.redirect_chain == [(f"/s/{team.shop.pk}/", 302)]
    assert "还没有业务数据" in landing.content.decode()


def test_logout_is_a_post(team):
    client = Client()
    post_login(client, "zhuguan", PASSWORD)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302  # signed out: back to the login page


def test_five_failures_lock_the_login(team):
    client = Client()
    statuses = [post_login(client, "zhuguan", f"wrong-{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 200]

    fifth = post_login(client, "zhuguan", "wrong-5")
    sixth = post_login(client, "zhuguan", "wrong-6")
    assert (fifth.status_code, sixth.status_code) == (429, 429)
    html = sixth.content.decode()
    assert "登录失败次数过多，请15分钟后再试" in html
    assert "连续5次输错密码" in html

    # Locked: even the right password is refused until the cool-off ends.
    right = post_login(client, "zhuguan", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_locked_out_page_in_english(team, english_catalog):
    client = Client()
    client.cookies["django_language"] = "en"
    for i in range(6):
        response = post_login(client, "zhuguan", f"wrong-{i}")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Please try again in 15 minutes." in (
        response.content.decode()
    )
