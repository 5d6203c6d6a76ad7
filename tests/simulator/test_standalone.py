"""`python -m simulator` as a separate process: starts, serves the demo, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


async def test_standalone_serves_demo_and_stops_on_sigterm():
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--port",
        "0",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        first_line = (await asyncio.wait_for(process.stdout.readline(), timeout=15)).decode()
        match = re.search(r"on (http://127\.0\.0\.1:\d+)", first_line)
        assert match, first_line
        url = match.group(1)
        body = {"security": {"login": "demo", "password": "demo-password"}, "type": "balance"}
        async with aiohttp.ClientSession() as http:
            async with http.post(url + "/sendsmsjson.php", json=body) as response:
                balance = await response.json()
            async with http.post(
                url + "/sendsmsjson.php",
                json={"type": "time"},
                headers={"Authorization": "Bearer demo-token"},
            ) as response:
                assert "time" in await response.json()
        assert balance["money"] == {"currency": "RUR", "value": "150"}
        assert [row["area"] for row in balance["sms"]] == ["МТС", "Мегафон", "Билайн", "Tele2"]
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    banner = first_line + stdout.decode()
    for credential in (
        "demo-password",
        "demo-token",
        "demo-app",
        "demo-client",
        "demo-master-key",
        "demo-session",
    ):
        assert credential in banner
    assert banner.rstrip().endswith("Stopped.")
