"""The notification page and the htmx "mark read" endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.notify import selectors, services
from kefu.notify.models import Notice
from kefu.notify.tests.makers import join, member_make, shop_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    shop, other_shop = shop_make(), shop_make()
    me, colleague = member_make(shop=shop), member_make(shop=shop)
    join(user=me, shop=other_shop)
    client.force_login(me)
    return shop, other_shop, me, colleague


def list_url(shop) -> str:
    return reverse("notify:list", kwargs={"shop_id": shop.pk})


def read_url(shop) -> str:
    return reverse("notify:read", kwargs={"shop_id": shop.pk})


def test_the_list_shows_my_notices_of_this_shop_only(client, setup) -> None:
    shop, other_shop, me, colleague = setup
    services.notice_send(shop=shop, recipients=[me], kind="coverage_gap", title="周六晚班缺 1 人")
    services.notice_send(shop=shop, recipients=[colleague], kind="info", title="同事的通知")
    services.notice_send(shop=other_shop, recipients=[me], kind="info", title="另一家店的通知")

    response = client.get(list_url(shop))

    assert response.status_code == 200
    html = response.content.decode()
    assert "周六晚班缺 1 人" in html
    assert "排班缺口" in html  # the kind's label
    assert "1 条未读" in html
    assert "同事的通知" not in html
    assert "另一家店的通知" not in html
    assert "暂无通知" not in html


def test_empty_state(client, setup) -> None:
    shop, *_ = setup

    response = client.get(list_url(shop))

    assert response.status_code == 200
    assert "暂无通知" in response.content.decode()


def test_anonymous_is_sent_to_login_and_non_members_get_404(client, setup) -> None:
    shop, *_ = setup
    stranger_shop = shop_make()

    assert client.get(list_url(stranger_shop)).status_code == 404
    client.logout()
    response = client.get(list_url(shop))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_htmx_mark_one_read_returns_the_list_partial(client, setup) -> None:
    shop, _other_shop, me, _colleague = setup
    first, second = (
        services.notice_send(shop=shop, recipients=[me], kind="info", title=t)[0]
        for t in ("第一条", "第二条")
    )

    response = client.post(read_url(shop), {"notice": first.pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="notices"')  # the partial, not the whole page
    assert "<html" not in html
    assert "1 条未读" in html
    assert Notice.objects.get(pk=first.pk).read_at is not None
    assert Notice.objects.get(pk=second.pk).read_at is None


def test_mark_all_read_without_htmx_redirects_to_the_list(client, setup) -> None:
    shop, other_shop, me, _colleague = setup
    for title in ("一", "二"):
        services.notice_send(shop=shop, recipients=[me], kind="info", title=title)
    services.notice_send(shop=other_shop, recipients=[me], kind="info", title="另一家店")

    response = client.post(read_url(shop), {"all": "1"})

    assert response.status_code == 302
    assert response["Location"] == list_url(shop)
    assert selectors.unread_count(shop=shop, user=me) == 0
    assert selectors.unread_count(shop=other_shop, user=me) == 1


def test_marking_someone_elses_notice_is_404(client, setup) -> None:
    shop, other_shop, me, colleague = setup
    [theirs] = services.notice_send(shop=shop, recipients=[colleague], kind="info", title="同事")
    [mine_elsewhere] = services.notice_send(
        shop=other_shop, recipients=[me], kind="info", title="x"
    )

    assert client.post(read_url(shop), {"notice": theirs.pk}).status_code == 404
    assert client.post(read_url(shop), {"notice": mine_elsewhere.pk}).status_code == 404
    assert client.post(read_url(shop), {"notice": "abc"}).status_code == 404
    assert Notice.objects.filter(read_at__isnull=False).count() == 0


def test_read_accepts_post_only(client, setup) -> None:
    shop, *_ = setup
    assert client.get(read_url(shop)).status_code == 405
