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
    assert r.status_code == 303 and r.headers["location"].startswith("/signin?next=/&reason=")
