"""Helpers for tests elsewhere in the project: a running simulator in one line.

```python
from simulator.testing import running_simulator

@pytest.fixture
async def gateway():
    async with running_simulator() as server:  # the demo data, on 127.0.0.1:<free port>
        yield server  # server.sim, server.jsongate_url, server.scorocode_url
```
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from .demo import build_demo
from .server import SimulatorServer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from .simulator import Simulator


@asynccontextmanager
async def running_simulator(
    sim: Simulator | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[SimulatorServer]:
    """Serve `sim` (None: a fresh demo simulator) until the block ends."""
    async with SimulatorServer(sim or build_demo(), host=host, port=port) as server:
        yield server
