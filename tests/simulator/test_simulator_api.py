"""The in-process Python control API and the `running_simulator` helper."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from simulator import Simulator, SimulatorServer
from simulator.testing import running_simulator

MTS = "79161234567"


def test_accounts_and_apps_are_unique(sim):
    with pytest.raises(ValueError, match="exists"):
        sim.add_account("demo", "x")
    with pytest.raises(ValueError, match="exists"):
        sim.add_scorocode_app("demo-app", client_keys={}, message_key="m", master_key="k")
    with pytest.raises(ValueError, match="sender state"):
        sim.account("demo").add_sender("X", state="approved")
    with pytest.raises(KeyError):
        sim.account("ghost")


def test_an_empty_simulator_has_nothing():
    sim = Simulator()
    assert sim.accounts == {}
    assert sim.apps == {}
    assert sim.summary()["accounts"] == []


async def test_running_simulator_defaults_to_the_demo():
    async with running_simulator() as server, aiohttp.ClientSession() as http:
        body = {"type": "balance"}
        headers = {"Authorization": "Bearer demo-token"}
        async with http.post(server.jsongate_url, json=body, headers=headers) as response:
            assert (await response.json())["money"]["value"] == "150"
        assert server.url.startswith("http://127.0.0.1:")
        assert server.scorocode_url == server.url + "/api/v1"
        assert server.control_url == server.url + "/__simulator__"
        assert server.sim.requests[-1].auth == "token"


async def test_running_simulator_serves_a_given_simulator():
    sim = Simulator()
    async with running_simulator(sim) as server:
        assert server.sim is sim


def test_port_is_unknown_before_start():
    with pytest.raises(RuntimeError, match="not started"):
        _ = SimulatorServer().port


async def test_requests_of_type(gate, sim):
    await gate.call("time")
    await gate.call("balance")
    await gate.call("time")
    assert [record.request_type for record in sim.requests_of_type("time")] == ["time", "time"]


async def test_delivery_after_validity_never_comes(gate, sim):
    sim.delivery_delay = timedelta(minutes=10)
    (answer,) = await gate.send(
        {"phone": MTS, "number_sms": "1", "validity_period": "2026-03-10 12:05"}
    )
    sim.clock.advance(timedelta(minutes=20))
    message = sim.message(answer["id_sms"])
    assert (message.state, message.changed_at) == ("expired", message.valid_until)


async def test_cancelling_gives_back_the_sms_package(gate, sim):
    sim.account("demo").sms_quota = 5
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1", "time_send": "2026-03-11 10:00"})
    assert sim.account("demo").sms_quota == 4
    await gate.call("scheduled", delete_schedule=[answer["id_sms"]])
    assert sim.account("demo").sms_quota == 5


async def test_summary_counts_message_states(gate, sim):
    await gate.send({"phone": MTS, "number_sms": "1"})
    await gate.send({"phone": MTS, "number_sms": "2", "time_send": "2026-03-11 10:00"})
    (account,) = sim.summary()["accounts"]
    assert account["messages"] == {"send": 1, "scheduled": 1}
    assert account["scheduled"] == 1
    assert account["money"] == "147"
