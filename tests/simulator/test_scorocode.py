"""Scorocode `sendpush` and `sendsms` over HTTP: keys, sessions, collections, recording."""

from __future__ import annotations

from datetime import timedelta

import pytest

GCM = {
    "protocol": "http",
    "notification": {"body": "great match!", "title": "Portugal vs. Denmark", "icon": "myicon"},
    "data": {"key": "value"},
}
APNS = {
    "id": "123e4567-e89b-12d3-a456-42665544000",
    "topic": "com.sideshow.Apns2",
    "collapseId": "my_collapse",
    "expiration": "2006-01-02T15:04:05Z07:00",
    "priority": 5,
    "aps": {"alert": {"title": "T", "body": "B", "action-loc-key": "Watch"}, "badge": 5},
    "acme1": "bar",
    "acme2": ["bang", "whiz"],
}


def _device_ids(push):
    return sorted(device["deviceId"] for device in push.devices)


async def test_push_to_devices_by_query_passes_data_through(scorocode, sim):
    msg = {"text": "push", "data": {"gcm": GCM, "apns": APNS}}
    answer = await scorocode.call(
        "sendpush", coll="devices", query={"deviceType": {"$eq": "android"}}, msg=msg, debug=True
    )
    assert answer == {"count": 2, "error": False}
    (push,) = sim.pushes
    assert _device_ids(push) == ["alice-pixel", "bob-galaxy"]
    assert push.message == msg
    assert push.text == "push"
    assert push.debug is True
    assert (push.app_id, push.collection) == ("demo-app", "devices")
    record = sim.requests[-1]
    assert (record.api, record.request_type, record.login, record.auth) == (
        "scorocode",
        "sendpush",
        "demo-app",
        "message_key",
    )


async def test_push_to_users_reaches_their_devices(scorocode, sim):
    answer = await scorocode.call(
        "sendpush", coll="users", query={"username": {"$in": ["alice", "carol"]}}
    )
    assert answer == {"count": 3, "error": False}
    assert _device_ids(sim.pushes[0]) == ["alice-iphone", "alice-pixel", "carol-iphone"]


async def test_push_to_roles_reaches_members_devices(scorocode, sim):
    answer = await scorocode.call("sendpush", coll="roles", query={"name": "staff"})
    assert answer == {"count": 2, "error": False}
    assert _device_ids(sim.pushes[0]) == ["bob-galaxy", "carol-iphone"]


async def test_empty_query_means_everyone_and_no_match_means_zero(scorocode, sim):
    assert await scorocode.call("sendpush", query=...) == {"count": 4, "error": False}
    assert await scorocode.call("sendpush", query={"deviceType": "blackberry"}) == {
        "count": 0,
        "error": False,
    }
    assert [len(push.devices) for push in sim.pushes] == [4, 0]


async def test_sms_to_users_with_a_phone(scorocode, sim):
    answer = await scorocode.call(
        "sendsms", coll="users", query={"phone": {"$exists": True}}, msg={"text": "Текст SMS"}
    )
    assert answer == {"count": 2, "error": False}
    (sms,) = sim.app_sms
    assert sorted(sms.phones) == ["79161234567", "79261234567"]
    assert sms.text == "Текст SMS"


async def test_sms_to_roles_skips_users_without_phone(scorocode, sim):
    answer = await scorocode.call(
        "sendsms", coll="roles", query={"name": {"$regex": "^ST", "$options": "i"}}
    )
    assert answer == {"count": 1, "error": False}
    assert sim.app_sms[0].phones == ["79261234567"]


async def test_roles_may_be_named_by_name_in_users(scorocode, sim):
    app = sim.apps["demo-app"]
    user = app.add_user("dave", phone="79991112233", roles=["staff"])
    app.add_device(user["_id"], "dave-phone", "android")
    answer = await scorocode.call("sendpush", coll="roles", query={"name": "staff"})
    assert answer["count"] == 3


async def test_master_key_needs_no_session(scorocode, sim):
    answer = await scorocode.call("sendpush", acc="demo-master-key", sess=...)
    assert answer == {"count": 4, "error": False}
    assert sim.requests[-1].auth == "master_key"


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"app": ...}, 401, "Invalid application id"),
        ({"app": "other-app"}, 401, "Invalid application id"),
        ({"cli": ...}, 401, "Invalid client key"),
        ({"cli": "demo-message-key"}, 401, "Invalid client key"),
        ({"acc": ...}, 403, "Invalid access key"),
        ({"acc": "demo-client"}, 403, "Invalid access key"),
        ({"sess": ...}, 401, "Session id is required"),
        ({"sess": ""}, 401, "Session id is required"),
        ({"sess": "forged"}, 401, "Invalid session id"),
        ({"coll": "items"}, 404, "Invalid collection: 'items'"),
        ({"coll": ...}, 404, "Invalid collection: 'null'"),
        ({"query": {"deviceType": {"$near": 1}}}, 400, "Invalid query: unknown operator $near"),
        ({"query": ["android"]}, 400, "Invalid query: a query must be an object"),
        ({"msg": ...}, 400, "Message text is required"),
        ({"msg": {"text": ""}}, 400, "Message text is required"),
        ({"msg": {"data": {}}}, 400, "Message text is required"),
    ],
)
async def test_push_errors(scorocode, sim, fields, code, message):
    answer = await scorocode.call("sendpush", **fields)
    assert answer == {"error": True, "errCode": code, "errMsg": message}
    assert sim.pushes == []
    assert sim.requests[-1].error == message


async def test_sendsms_refuses_devices(scorocode, sim):
    answer = await scorocode.call("sendsms", coll="devices")
    assert answer == {"error": True, "errCode": 404, "errMsg": "Invalid collection: 'devices'"}
    assert sim.app_sms == []


async def test_sessions_expire_after_72_hours(scorocode, sim):
    sim.clock.advance(timedelta(hours=71, minutes=59, seconds=59))
    assert (await scorocode.call("sendpush"))["error"] is False
    sim.clock.advance(timedelta(seconds=1))
    assert await scorocode.call("sendpush") == {
        "error": True,
        "errCode": 401,
        "errMsg": "Session expired",
    }
    assert (await scorocode.call("sendpush", acc="demo-master-key"))["error"] is False


async def test_invalid_json_body(http, server):
    async with http.post(server.scorocode_url + "/sendsms", data=b"{oops") as response:
        assert response.status == 200
        assert await response.json() == {
            "error": True,
            "errCode": 400,
            "errMsg": "Invalid JSON body",
        }


async def test_other_endpoints_are_not_found(http, server):
    async with http.post(server.scorocode_url + "/sendmail", json={}) as response:
        assert response.status == 404
