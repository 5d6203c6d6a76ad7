"""Request-level behaviour of sendsmsjson.php: decoding, authentication, blocking."""

from __future__ import annotations

import pytest

from simulator.jsongate import HANDLERS

BAD_FORMAT = {"error": "Неправильный формат JSON документа"}
BAD_LOGIN = {"error": "Неправильный логин или пароль"}
NO_DATA = {"error": "POST данные отсутствуют"}
BLOCKED = {"error": "Ваш аккаунт заблокирован"}


def test_all_eighteen_request_types_are_served():
    assert sorted(HANDLERS) == sorted(
        [
            "sms",
            "state",
            "balance",
            "originator",
            "incoming",
            "def",
            "list_bases",
            "bases",
            "list_phones",
            "phones",
            "list_stop",
            "stop",
            "list_scheduled",
            "scheduled",
            "time",
            "list_stats",
            "list_patterns",
            "patterns",
        ]
    )


async def test_empty_body_is_no_post_data(gate):
    assert await gate.post(data=b"") == NO_DATA
    assert await gate.post(data=b"  \n") == NO_DATA


async def test_get_request_has_no_post_data(gate, http):
    async with http.get(gate.url) as response:
        assert response.status == 200
        assert await response.json() == NO_DATA


@pytest.mark.parametrize(
    "data",
    [b"{not json", b"[1, 2]", b'"balance"', b"\xff\xfe", b"null"],
    ids=["broken", "array", "string", "not-utf8", "null"],
)
async def test_not_a_json_object_is_a_format_error(gate, data):
    assert await gate.post(data=data) == BAD_FORMAT


async def test_unknown_or_missing_type_is_a_format_error(gate):
    assert await gate.call("pay") == BAD_FORMAT
    assert (
        await gate.post({"security": {"login": "demo", "password": "demo-password"}}) == BAD_FORMAT
    )


async def test_security_that_is_not_an_object_is_a_format_error(gate):
    assert await gate.post({"security": "demo", "type": "balance"}) == BAD_FORMAT


@pytest.mark.parametrize(
    ("login", "password"), [("demo", "wrong"), ("nobody", "demo-password"), ("", "")]
)
async def test_wrong_credentials(gate, login, password):
    assert await gate.call("balance", login=login, password=password) == BAD_LOGIN


async def test_missing_security_without_token_is_wrong_login(gate):
    assert await gate.post({"type": "balance"}) == BAD_LOGIN


async def test_credentials_are_checked_before_the_type(gate):
    assert await gate.call("no-such-type", password="wrong") == BAD_LOGIN


async def test_bearer_token_replaces_security(gate, sim):
    answer = await gate.post({"type": "balance"}, headers={"Authorization": "Bearer demo-token"})
    assert answer["money"] == {"currency": "RUR", "value": "150"}
    record = sim.requests[-1]
    assert (record.login, record.auth, record.request_type) == ("demo", "token", "balance")


async def test_bearer_scheme_is_case_insensitive(gate):
    answer = await gate.post({"type": "time"}, headers={"Authorization": "bearer demo-token"})
    assert "time" in answer


async def test_wrong_bearer_token_fails_even_with_good_security(gate):
    body = {"security": {"login": "demo", "password": "demo-password"}, "type": "balance"}
    assert await gate.post(body, headers={"Authorization": "Bearer nope"}) == BAD_LOGIN


async def test_other_authorization_schemes_fall_back_to_security(gate):
    body = {"security": {"login": "demo", "password": "demo-password"}, "type": "time"}
    assert "time" in await gate.post(body, headers={"Authorization": "Basic Zm9vOmJhcg=="})


async def test_account_without_token_cannot_use_an_empty_bearer(gate, sim):
    sim.add_account("plain", "pw")
    assert await gate.post({"type": "balance"}, headers={"Authorization": "Bearer "}) == BAD_LOGIN


@pytest.mark.parametrize("request_type", sorted(HANDLERS))
async def test_blocked_account_is_refused_for_every_type(gate, sim, request_type):
    sim.account("demo").blocked = True
    assert await gate.call(request_type) == BLOCKED


async def test_blocked_account_still_fails_wrong_password_first(gate, sim):
    sim.account("demo").blocked = True
    assert await gate.call("balance", password="x") == BAD_LOGIN


async def test_requests_are_recorded(gate, sim):
    await gate.call("time")
    await gate.call("balance", password="x")
    ok, failed = sim.requests[-2:]
    assert (ok.path, ok.api, ok.request_type, ok.login, ok.auth) == (
        "/sendsmsjson.php",
        "jsongate",
        "time",
        "demo",
        "password",
    )
    assert ok.status == 200
    assert ok.processed
    assert ok.response == {"time": "2026-03-10 12:00:00"}
    assert ok.body["type"] == "time"
    assert failed.login is None
    assert failed.error == "Неправильный логин или пароль"
    assert ok.seq < failed.seq


async def test_answers_are_utf8_json(http, gate):
    body = {"security": {"login": "demo", "password": "demo-password"}, "type": "balance"}
    async with http.post(gate.url, json=body) as response:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "МТС" in (await response.read()).decode("utf-8")
