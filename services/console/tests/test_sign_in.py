"""Sign-in, the session cookie and CSRF protection (issue 13: signed, HttpOnly, SameSite cookies;
CSRF on every form; sign-out)."""

import datetime as dt

from .conftest import csrf_of


async def sign_in(client, staff_id: str, next_url: str = "/"):
    page = await client.get("/signin", params={"next": next_url})
    return await client.post("/signin", data={"staff_id": staff_id, "next": next_url, "csrftoken": csrf_of(page.text)})


async def test_a_page_needs_a_signed_in_person(browser_client):
    r = await browser_client.get("/clerk")
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/clerk"


async def test_the_directory_lists_the_district_staff_by_jurisdiction(browser_client):
    page = (await browser_client.get("/signin")).text
    assert "刘窗口" in page and "柳树街街道办事处" in page and "杨财务" in page and "乌尔禾区民政局" in page


async def test_signing_in_sets_a_signed_httponly_samesite_session_and_goes_home_by_role(browser_client):
    r = await sign_in(browser_client, "lsj-clerk-1")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("jz_session=") and "httponly" in cookie and "samesite=lax" in cookie
    assert (await browser_client.get("/")).headers["location"] == "/clerk"


async def test_the_home_page_follows_the_first_role_held(browser_client):
    await sign_in(browser_client, "finance-1")
    assert (await browser_client.get("/")).headers["location"] == "/finance"


async def test_a_form_without_the_csrf_token_is_refused(browser_client):
    await browser_client.get("/signin")
    r = await browser_client.post("/signin", data={"staff_id": "lsj-clerk-1", "next": "/", "csrftoken": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert "jz_session" not in r.headers.get("set-cookie", "")


async def test_sign_in_without_any_cookie_is_still_protected(browser_client):
    """Login CSRF: a cross-site form must not sign a victim in as someone else."""
    r = await browser_client.post("/signin", data={"staff_id": "lsj-clerk-1", "next": "/"})
    assert r.status_code == 403


async def test_an_unknown_person_is_refused_beside_the_field(browser_client):
    r = await sign_in(browser_client, "nobody")
    assert r.status_code == 400 and "工作人员名录中没有编号为“nobody”的人员" in r.text


async def test_next_never_leaves_the_site(browser_client):
    r = await sign_in(browser_client, "lsj-clerk-1", next_url="//evil.example/x")
    assert r.headers["location"] == "/"


async def test_sign_out_ends_the_session(browser_client):
    await sign_in(browser_client, "lsj-clerk-1")
    page = await browser_client.get("/signin")
    r = await browser_client.post("/signout", data={"csrftoken": csrf_of(page.text)})
    assert r.status_code == 303
    assert (await browser_client.get("/")).headers["location"] == "/signin?next=/"


async def test_an_expired_token_sends_the_person_to_sign_in_again(browser_client, console_env, monkeypatch):
    from jiuzhu_console.adapters import sign_in as module

    issued = dt.datetime.now(dt.UTC) - dt.timedelta(hours=11)
    real_mint = module.TokenIssuer.mint
    monkeypatch.setattr(module.TokenIssuer, "mint",
                        lambda self, **kw: real_mint(self, **{**kw, "ttl": dt.timedelta(hours=1), "now": issued}))
    await sign_in(browser_client, "lsj-clerk-1")
    r = await browser_client.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/&reason=expired"


async def test_the_cookie_holds_no_readable_token_and_lives_only_with_the_browser(browser_client):
    import base64
    import json

    r = await sign_in(browser_client, "lsj-clerk-1")
    cookie = r.headers["set-cookie"]
    assert "max-age" not in cookie.lower() and "expires" not in cookie.lower()
    payload = cookie.split("=", 1)[1].split(".", 1)[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(session) == {"token", "seen"} and not session["token"].startswith("eyJ")  # not a JWT


async def test_a_session_left_idle_ends(browser_client, monkeypatch):
    import time

    await sign_in(browser_client, "lsj-clerk-1")
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    r = await browser_client.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/&reason=idle"
    page = await browser_client.get("/signin", params={"reason": "idle"})
    assert "长时间未操作，请重新登录" in page.text


async def test_the_sign_in_page_shows_only_its_own_words(browser_client):
    page = await browser_client.get("/signin", params={"reason": "系统升级，请致电 110"})
    assert "系统升级" not in page.text


async def test_pages_are_not_cached_framed_or_sniffed(browser_client):
    page = await browser_client.get("/signin")
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    static = await browser_client.get("/static/console.css")
    assert static.status_code == 200 and "no-store" not in static.headers["cache-control"]


async def test_a_post_from_another_origin_is_refused(browser_client):
    page = await browser_client.get("/signin")
    r = await browser_client.post("/signin", data={"staff_id": "lsj-clerk-1", "next": "/", "csrftoken": csrf_of(page.text)},
                                  headers={"origin": "http://127.0.0.1:8199"})
    assert r.status_code == 403 and "来源校验未通过" in r.text


async def test_bodies_no_console_form_sends_are_refused_not_a_server_error(browser_client):
    await sign_in(browser_client, "lsj-clerk-1")
    multipart = await browser_client.post("/signout", files={"f": ("a.txt", b"x")})
    assert multipart.status_code == 415
    no_boundary = await browser_client.post("/signout", content=b"x", headers={"content-type": "multipart/form-data"})
    assert no_boundary.status_code == 415
    not_utf8 = await browser_client.post("/signout", content=b"csrftoken=\xff\xfe",
                                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert not_utf8.status_code in (400, 403)


async def test_a_role_page_refuses_who_does_not_hold_the_role_before_any_service_is_called(browser_client):
    await sign_in(browser_client, "finance-1")  # no service answers here: a call would be a 503, not this
    for path in ("/clerk", "/investigator", "/reviewer/cases/650205001-2026-00001"):
        page = await browser_client.get(path)
        assert page.status_code == 403 and "无权访问" in page.text and "需要以下角色之一" in page.text, path
    form = await browser_client.get("/signin")
    posted = await browser_client.post("/investigator/cases/650205001-2026-00001/home-visit",
                                       data={"csrftoken": csrf_of(form.text), "visited_on": "2026-11-28"})
    assert posted.status_code == 403 and "调查员" in posted.text
