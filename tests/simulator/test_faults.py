"""Faults on demand, as an aiohttp client meets them."""

from __future__ import annotations

import asyncio
import errno
import json
import time
from decimal import Decimal

import aiohttp
import pytest

from simulator import Fault, FaultKind, SimulatorServer

MTS = "79161234567"
SMS_BODY = {
    "security": {"login": "demo", "password": "demo-password"},
    "type": "sms",
    "message": [
        {
            "type": "sms",
            "sender": "INFO",
            "text": "Тест",
            "abonent": [{"phone": MTS, "number_sms": "1", "client_id_sms": 4242}],
        }
    ],
}
BALANCE_BODY = {"security": {"login": "demo", "password": "demo-password"}, "type": "balance"}


async def _post(http, url, body):
    async with http.post(url, json=body) as response:
        return response.status, response.content_type, await response.text()


def _sent(sim) -> bool:
    return sim.processed_client_ids("demo") == {4242: 1}


@pytest.mark.parametrize(
    ("kind", "status", "content_type", "marker"),
    [
        ("http_500", 500, "text/html", "Internal Server Error"),
        ("http_502", 502, "text/html", "502 Bad Gateway"),
        ("html", 200, "text/html", "<html>"),
        ("malformed_json", 200, "application/json", "<b>Warning</b>"),
    ],
)
async def test_substitute_answers_do_not_process(
    http, server, sim, *, kind, status, content_type, marker
):
    sim.add_fault(Fault(kind))
    got_status, got_type, text = await _post(http, server.jsongate_url, SMS_BODY)
    assert (got_status, got_type) == (status, content_type)
    assert marker in text
    with pytest.raises(ValueError, match=r"Expecting|Extra data"):
        json.loads(text)
    assert not _sent(sim)
    assert sim.account("demo").money == 150
    record = sim.requests[-1]
    assert (record.fault, record.processed, record.status) == (kind, False, status)


async def test_error_text(http, server, sim):
    sim.add_fault(Fault("error_text", text="Технический сбой"))
    _, _, text = await _post(http, server.jsongate_url, SMS_BODY)
    assert json.loads(text) == {"error": "Технический сбой"}
    assert not _sent(sim)
    assert sim.requests[-1].error == "Технический сбой"


async def test_truncated_json_is_processed_and_cut(http, server, sim):
    sim.add_fault(Fault(FaultKind.TRUNCATED_JSON))
    status, _, text = await _post(http, server.jsongate_url, SMS_BODY)
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert _sent(sim)
    record = sim.requests[-1]
    assert record.processed
    full = json.dumps(record.response, ensure_ascii=False)
    assert full.startswith(text)
    assert 0 < len(text) < len(full)


async def test_wrong_types_keep_shape_but_not_types(http, server, sim):
    sim.add_fault(Fault("wrong_types", request_type="balance"))
    _, _, text = await _post(http, server.jsongate_url, BALANCE_BODY)
    answer = json.loads(text)
    assert answer["money"]["currency"] == "RUR"
    numbers = [answer["money"]["value"]] + [row["number"] for row in answer["sms"]]
    assert numbers == [["150"], {"value": "100"}, None, ["88"], {"value": "107"}]
    assert [row["area"] for row in answer["sms"]] == ["МТС", "Мегафон", "Билайн", "Tele2"]


async def test_reset_before_processing(http, server, sim):
    sim.add_fault(Fault("reset_before"))
    with pytest.raises(aiohttp.ClientOSError) as caught:
        await _post(http, server.jsongate_url, SMS_BODY)
    assert caught.value.errno == errno.ECONNRESET
    assert not _sent(sim)
    assert sim.account("demo").money == 150
    record = sim.requests[-1]
    assert (record.fault, record.processed, record.status, record.response_text) == (
        "reset_before",
        False,
        None,
        None,
    )


async def test_reset_after_processing_then_retry_is_deduplicated(http, server, sim):
    sim.add_fault(Fault("reset_after"))
    with pytest.raises(aiohttp.ClientOSError) as caught:
        await _post(http, server.jsongate_url, SMS_BODY)
    assert caught.value.errno == errno.ECONNRESET
    assert _sent(sim)
    assert sim.account("demo").money == Decimal("148.5")
    lost = sim.requests[-1]
    assert (lost.processed, lost.status) == (True, None)
    sent_id = lost.response["sms"][0]["id_sms"]

    _, _, text = await _post(http, server.jsongate_url, SMS_BODY)  # the client's retry
    assert json.loads(text)["sms"][0]["id_sms"] == sent_id
    assert sim.processed_client_ids("demo") == {4242: 1}
    assert sim.seen_client_ids("demo") == {4242: 2}
    assert sim.account("demo").money == Decimal("148.5")


async def test_disconnect_before_processing(http, server, sim):
    sim.add_fault(Fault("disconnect_before"))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await _post(http, server.jsongate_url, SMS_BODY)
    assert not _sent(sim)


async def test_disconnect_after_processing(http, server, sim):
    sim.add_fault(Fault("disconnect_after"))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await _post(http, server.jsongate_url, SMS_BODY)
    assert _sent(sim)


async def test_latency_delays_a_normal_answer(http, server, sim):
    sim.add_fault(Fault("latency", seconds=0.3))
    started = time.monotonic()
    _, _, text = await _post(http, server.jsongate_url, BALANCE_BODY)
    assert time.monotonic() - started >= 0.3
    assert json.loads(text)["money"]["value"] == "150"


async def test_latency_beyond_the_client_timeout_still_processes(http, server, sim):
    sim.add_fault(Fault("latency", seconds=0.3))
    with pytest.raises(TimeoutError):
        async with http.post(
            server.jsongate_url, json=SMS_BODY, timeout=aiohttp.ClientTimeout(total=0.1)
        ):
            pass
    assert not _sent(sim)
    for _ in range(50):  # the server finishes the job although the client gave up
        await asyncio.sleep(0.02)
        if _sent(sim):
            break
    assert _sent(sim)


async def test_hang_times_the_client_out_and_processes_nothing(http, server, sim):
    sim.add_fault(Fault("hang", seconds=30))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with http.post(
            server.jsongate_url, json=SMS_BODY, timeout=aiohttp.ClientTimeout(total=0.2)
        ):
            pass
    assert time.monotonic() - started < 5
    assert not _sent(sim)
    assert sim.requests[-1].fault == "hang"


async def test_stopping_the_server_releases_a_hanging_request(http, sim):
    sim.add_fault(Fault("hang", seconds=60))
    server = SimulatorServer(sim)
    await server.start()
    request = asyncio.ensure_future(_post(http, server.jsongate_url, BALANCE_BODY))
    while not sim.requests:  # noqa: ASYNC110 - polling the simulator's own log
        await asyncio.sleep(0.01)
    started = time.monotonic()
    await server.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(aiohttp.ClientConnectionError):
        await request
    assert not sim.requests[-1].processed


async def test_times_counts_matching_requests(gate, sim):
    sim.add_fault(Fault("error_text", times=2, text="сбой"))
    answers = [await gate.call("time") for _ in range(3)]
    assert answers[:2] == [{"error": "сбой"}] * 2
    assert "time" in answers[2]
    assert sim.faults.pending == []


async def test_until_cleared(gate, sim):
    sim.add_fault(Fault("error_text", times=None, text="сбой"))
    assert [await gate.call("time") for _ in range(4)] == [{"error": "сбой"}] * 4
    sim.clear_faults()
    assert "time" in await gate.call("time")


async def test_request_type_filter(gate, sim):
    sim.add_fault(Fault("error_text", request_type="balance", text="сбой"))
    assert "time" in await gate.call("time")
    assert await gate.call("balance") == {"error": "сбой"}
    assert "money" in await gate.call("balance")


async def test_first_matching_fault_wins_one_per_request(gate, sim):
    sim.add_fault(Fault("error_text", request_type="balance", text="первый"))
    sim.add_fault(Fault("error_text", text="второй"))
    assert await gate.call("time") == {"error": "второй"}
    assert await gate.call("balance") == {"error": "первый"}
    assert "money" in await gate.call("balance")


async def test_path_filter_and_scorocode_faults(gate, scorocode, sim):
    sim.add_fault(Fault("error_text", path="/api/v1/sendpush", text="Push service down"))
    assert "time" in await gate.call("time")
    assert await scorocode.call("sendsms", coll="users") == {"count": 2, "error": False}
    assert await scorocode.call("sendpush") == {
        "error": True,
        "errCode": 500,
        "errMsg": "Push service down",
    }
    assert sim.pushes == []


async def test_scorocode_reset_after_records_the_push(http, server, sim):
    sim.add_fault(Fault("reset_after", request_type="sendpush"))
    body = {
        "app": "demo-app",
        "cli": "demo-client",
        "acc": "demo-master-key",
        "coll": "devices",
        "msg": {"text": "x"},
    }
    with pytest.raises(aiohttp.ClientOSError):
        await _post(http, server.scorocode_url + "/sendpush", body)
    assert len(sim.pushes) == 1


async def test_control_api_is_never_faulted(http, server, sim):
    sim.add_fault(Fault("http_500", times=None))
    async with http.get(server.control_url + "/clock") as response:
        assert response.status == 200


def test_fault_validation():
    with pytest.raises(ValueError, match="not a valid FaultKind"):
        Fault("explode")
    with pytest.raises(ValueError, match="times"):
        Fault("http_500", times=0)
    with pytest.raises(ValueError, match="seconds"):
        Fault("latency", seconds=-1)
    assert Fault("hang").seconds == 300
    assert Fault("latency").seconds == 1
    assert Fault("reset_after").processed
    assert not Fault("reset_before").processed
