"""The HTTP control API under /__simulator__/."""

from __future__ import annotations

from datetime import timedelta

import pytest

MTS = "79161234567"


@pytest.fixture
def control(http, server):
    """Call a control route: (method, path, json) -> (status, decoded answer)."""

    async def call(method, path, body=None):
        async with http.request(method, server.control_url + path, json=body) as response:
            return response.status, await response.json()

    return call


async def test_state_summary(control):
    status, state = await control("GET", "/state")
    assert status == 200
    assert state["now"] == "2026-03-10T09:00:00+00:00"
    assert state["clock_frozen"] is True
    (account,) = state["accounts"]
    assert (account["login"], account["money"], account["currency"]) == ("demo", "150", "RUR")
    assert [area["name"] for area in account["areas"]] == ["МТС", "Мегафон", "Билайн", "Tele2"]
    assert account["senders"] == {
        "INFO": "completed",
        "ALERT": "completed",
        "PROMO": "order",
        "SPAM": "rejected",
    }
    assert account["incoming"] == 2
    assert (account["contact_lists"], account["templates"]) == (1, 1)
    assert state["apps"][0]["app_id"] == "demo-app"
    assert state["apps"][0]["sessions"] == ["demo-session"]


async def test_clock(control, gate):
    assert await control("POST", "/clock/advance", {"seconds": 3600}) == (
        200,
        {"now": "2026-03-10T10:00:00+00:00", "frozen": True},
    )
    assert (await gate.call("time"))["time"] == "2026-03-10 13:00:00"
    status, clock = await control("POST", "/clock/set", {"now": "2026-05-01T12:00:00+03:00"})
    assert (status, clock["now"]) == (200, "2026-05-01T09:00:00+00:00")
    status, answer = await control("POST", "/clock/set", {"now": "2026-05-01T12:00:00"})
    assert status == 400
    assert "offset" in answer["error"]
    assert (await control("GET", "/clock"))[1]["now"] == "2026-05-01T09:00:00+00:00"


async def test_incoming(control, gate):
    status, answer = await control(
        "POST",
        "/incoming",
        {
            "login": "demo",
            "originator": "79035550000",
            "text": "Да",
            "phone": "3434",
            "received_at": "2026-03-10T12:00:01+03:00",
        },
    )
    assert status == 200
    listed = await gate.call("incoming", time={"start": "2026-03-10 12:00:00"})
    assert listed["sms"] == [
        {
            "id_sms": answer["id_sms"],
            "date_receive": "2026-03-10 12:00:01",
            "originator": "79035550000",
            "prefix": "",
            "phone": "3434",
            "text_sms": "Да",
        }
    ]
    status, _ = await control(
        "POST", "/incoming", {"login": "ghost", "originator": "1", "text": "x"}
    )
    assert status == 404
    status, _ = await control("POST", "/incoming", {"login": "demo"})
    assert status == 404  # a missing field is a KeyError too


async def test_deliveries(control, gate):
    first, second, third = await gate.send(
        *({"phone": MTS, "number_sms": str(n)} for n in range(3))
    )
    assert await control(
        "POST", "/deliveries", {"id_sms": first["id_sms"], "state": "not_deliver"}
    ) == (200, {"finished": 1})
    assert await control("POST", "/deliveries", {}) == (200, {"finished": 2})
    states = await gate.call(
        "state", get_state=[first["id_sms"], second["id_sms"], third["id_sms"]]
    )
    assert [row["state"] for row in states["state"]] == ["not_deliver", "deliver", "deliver"]
    status, answer = await control("POST", "/deliveries", {"id_sms": first["id_sms"]})
    assert status == 400
    assert "not waiting" in answer["error"]
    assert (await control("POST", "/deliveries", {"id_sms": "1"}))[0] == 404


async def test_delivery_delay(control, gate, sim):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    assert await control("POST", "/delivery-delay", {"seconds": 10}) == (200, {"seconds": 10})
    await control("POST", "/clock/advance", {"seconds": 10})
    assert sim.message(answer["id_sms"]).state == "deliver"
    await control("POST", "/delivery-delay", {"seconds": None})
    assert sim.delivery_delay is None


async def test_money_and_account_flags(control, gate):
    assert await control("POST", "/money", {"login": "demo", "value": "3.5"}) == (
        200,
        {"login": "demo", "money": "3.5"},
    )
    assert (await gate.call("balance"))["money"]["value"] == "3.5"
    status, account = await control("POST", "/accounts/demo", {"blocked": True, "money": 7})
    assert (status, account["blocked"], account["money"]) == (200, True, "7")
    assert await gate.call("balance") == {"error": "Ваш аккаунт заблокирован"}
    await control(
        "POST", "/accounts/demo", {"blocked": False, "any_originator": True, "sms_quota": 5}
    )
    assert await gate.call("originator") == {"any_originator": "TRUE"}
    assert (await control("POST", "/money", {"login": "demo", "value": "lots"}))[0] == 400
    assert (await control("POST", "/accounts/ghost", {}))[0] == 404


async def test_faults(control, gate):
    status, fault = await control(
        "POST",
        "/faults",
        {"kind": "error_text", "times": 2, "request_type": "time", "text": "сбой"},
    )
    assert status == 200
    assert fault == {
        "kind": "error_text",
        "times": 2,
        "request_type": "time",
        "path": None,
        "seconds": 0.0,
        "text": "сбой",
        "applied": 0,
    }
    assert await gate.call("time") == {"error": "сбой"}
    assert (await control("GET", "/faults"))[1][0]["applied"] == 1
    assert await control("DELETE", "/faults") == (200, {"faults": []})
    assert "time" in await gate.call("time")
    assert (await control("POST", "/faults", {"kind": "boom"}))[0] == 400
    assert (await control("POST", "/faults", {"kind": "hang", "colour": "red"}))[0] == 400


async def test_request_log(control, gate):
    await gate.call("time")
    await gate.call("balance")
    status, log = await control("GET", "/requests")
    assert status == 200
    assert [entry["request_type"] for entry in log] == ["time", "balance"]
    assert log[1]["response"]["money"]["value"] == "150"
    assert log[1]["login"] == "demo"
    assert log[1]["status"] == 200
    _, newer = await control("GET", f"/requests?since={log[0]['seq']}")
    assert [entry["seq"] for entry in newer] == [log[1]["seq"]]
    await control("DELETE", "/requests")
    await gate.call("time")
    _, log = await control("GET", "/requests")
    assert len(log) == 1
    assert log[0]["seq"] == 3  # numbering goes on after clearing


async def test_client_ids_and_messages(control, gate):
    await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 11})
    await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 11})
    assert await control("GET", "/client-ids/demo") == (
        200,
        {"processed": {"11": 1}, "seen": {"11": 2}},
    )
    status, messages = await control("GET", "/messages/demo")
    assert status == 200
    (message,) = messages
    assert (message["state"], message["phone"], message["client_id"], message["price"]) == (
        "send",
        MTS,
        11,
        "1.5",
    )
    assert (await control("GET", "/client-ids/ghost"))[0] == 404


async def test_pushes_and_app_sms(control, scorocode):
    await scorocode.call(
        "sendpush",
        coll="users",
        query={"username": "bob"},
        msg={"text": "x", "data": {"gcm": {"a": 1}}},
    )
    await scorocode.call("sendsms", coll="users", query={"username": "alice"}, msg={"text": "y"})
    _, pushes = await control("GET", "/pushes")
    assert [device["deviceId"] for device in pushes[0]["devices"]] == ["bob-galaxy"]
    assert pushes[0]["message"] == {"text": "x", "data": {"gcm": {"a": 1}}}
    _, sms = await control("GET", "/app-sms")
    assert sms[0]["phones"] == ["79161234567"]
    assert sms[0]["text"] == "y"


async def test_control_requests_are_not_logged(control, sim):
    await control("GET", "/state")
    assert sim.requests == []


async def test_bad_json_is_400(http, server):
    async with http.post(server.control_url + "/money", data=b"{") as response:
        assert response.status == 400


async def test_clock_advance_moves_python_side_too(control, sim):
    before = sim.clock.now()
    await control("POST", "/clock/advance", {"seconds": 90})
    assert sim.clock.now() - before == timedelta(seconds=90)


async def test_password_and_token_change_for_trying_reauth(control, gate, sim):
    status, _ = await control(
        "POST", "/accounts/demo", {"password": "new-secret", "token": "new-token"}
    )
    assert status == 200
    refused = {"error": "Неправильный логин или пароль"}
    assert await gate.call("balance") == refused  # the old password
    assert (await gate.call("balance", password="new-secret"))["money"]["value"] == "150"
    bearer = {"Authorization": "Bearer new-token"}
    assert "money" in await gate.post({"type": "balance"}, headers=bearer)
    old_bearer = {"Authorization": "Bearer demo-token"}
    assert await gate.post({"type": "balance"}, headers=old_bearer) == refused

    assert (await control("POST", "/accounts/demo", {"token": None}))[0] == 200
    assert sim.account("demo").token is None
    assert (await control("POST", "/accounts/demo", {"password": ""}))[0] == 400
    assert sim.account("demo").password == "new-secret"


async def test_a_token_names_one_account(control, sim):
    sim.add_account("other", "pw", token="other-token")
    status, answer = await control("POST", "/accounts/demo", {"token": "other-token"})
    assert status == 400
    assert "another account" in answer["error"]
    assert sim.account("demo").token == "demo-token"


async def test_app_keys_and_sessions_change_for_trying_reauth(control, scorocode, sim):
    """A Scorocode application's owner changes its keys or ends its sessions."""
    status, app = await control(
        "POST", "/apps/demo-app", {"master_key": "new-master", "sessions": ["fresh"]}
    )
    assert (status, app["app_id"], app["sessions"]) == (200, "demo-app", ["fresh"])
    refused_session = await scorocode.call("sendpush")  # demo-session has ended
    assert (refused_session["error"], refused_session["errCode"]) == (True, 401)
    assert (await scorocode.call("sendpush", sess="fresh"))["error"] is False
    old_master = await scorocode.call("sendpush", acc="demo-master-key", sess=...)
    assert (old_master["error"], old_master["errCode"]) == (True, 403)
    assert (await scorocode.call("sendpush", acc="new-master", sess=...))["error"] is False

    await control("POST", "/apps/demo-app", {"client_keys": {"android": "new-client"}})
    old_client = await scorocode.call("sendpush", sess="fresh")
    assert (old_client["error"], old_client["errMsg"]) == (True, "Invalid client key")
    assert (await scorocode.call("sendpush", cli="new-client", sess="fresh"))["error"] is False

    await control("POST", "/apps/demo-app", {"message_key": "new-message"})
    assert sim.apps["demo-app"].message_key == "new-message"
    assert (await control("POST", "/apps/ghost", {}))[0] == 404


@pytest.mark.parametrize(
    "body",
    [
        {"master_key": ""},
        {"message_key": 5},
        {"client_keys": {}},
        {"client_keys": {"android": ""}},
        {"sessions": "fresh"},
        {"master_key": "new-master", "sessions": [""]},
        {"master_key": "new-master", "session": ["fresh"]},
    ],
)
async def test_bad_app_changes_are_400_and_change_nothing(control, sim, body):
    app = sim.apps["demo-app"]
    before = (dict(app.client_keys), app.message_key, app.master_key, dict(app.sessions))
    status, answer = await control("POST", "/apps/demo-app", body)
    assert status == 400
    assert answer["error"]
    assert (dict(app.client_keys), app.message_key, app.master_key, dict(app.sessions)) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/accounts/demo", {"blocked": True, "blokced": True}),
        ("/accounts/demo", {"passwd": "x"}),
        ("/money", {"login": "demo", "value": "1", "currency": "USD"}),
        ("/clock/advance", {"seconds": 1, "minutes": 1}),
        ("/clock/set", {"now": "2026-05-01T12:00:00+03:00", "frozen": False}),
        ("/incoming", {"login": "demo", "originator": "7916", "text": "x", "time": "now"}),
        ("/deliveries", {"state": "deliver", "id": "1"}),
        ("/delivery-delay", {"seconds": 5, "jitter": 1}),
        ("/faults", {"kind": "http_500", "count": 2}),
    ],
)
async def test_unknown_fields_are_400_and_change_nothing(control, sim, path, body):
    before = (sim.summary(), sim.clock.now(), sim.delivery_delay, list(sim.faults.pending))
    status, answer = await control("POST", path, body)
    assert status == 400
    assert "unknown fields" in answer["error"]
    assert (sim.summary(), sim.clock.now(), sim.delivery_delay, list(sim.faults.pending)) == before
