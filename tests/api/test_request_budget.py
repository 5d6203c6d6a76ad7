"""The request budget of one account: a limit on open requests, sends served first."""

from __future__ import annotations

import asyncio

from custom_components.jsongate.api.transport import (
    PRIORITY_OTHER,
    PRIORITY_SEND,
    RequestBudget,
)


async def test_waiting_sends_go_before_waiting_reads() -> None:
    budget = RequestBudget(limit=1)
    await budget.acquire()
    order: list[str] = []

    async def request(name: str, priority: int) -> None:
        await budget.acquire(priority)
        order.append(name)
        budget.release()

    waiting = [
        asyncio.create_task(request("read 1", PRIORITY_OTHER)),
        asyncio.create_task(request("read 2", PRIORITY_OTHER)),
        asyncio.create_task(request("send", PRIORITY_SEND)),
    ]
    await asyncio.sleep(0)
    assert budget.in_flight == 1
    budget.release()
    await asyncio.gather(*waiting)

    assert order == ["send", "read 1", "read 2"]
    assert budget.in_flight == 0


async def test_a_cancelled_waiter_gives_its_turn_away() -> None:
    budget = RequestBudget(limit=1)
    await budget.acquire()
    given_up = asyncio.create_task(budget.acquire())
    later = asyncio.create_task(budget.acquire())
    await asyncio.sleep(0)
    given_up.cancel()
    await asyncio.sleep(0)

    budget.release()
    await later

    assert budget.in_flight == 1
    budget.release()
    assert budget.in_flight == 0


async def test_a_slot_handed_over_as_the_waiter_is_cancelled_is_not_lost() -> None:
    budget = RequestBudget(limit=1)
    await budget.acquire()
    waiter = asyncio.create_task(budget.acquire())
    await asyncio.sleep(0)
    budget.release()  # hands the slot to the waiter...
    waiter.cancel()  # ...which is cancelled before it runs
    await asyncio.gather(waiter, return_exceptions=True)

    assert budget.in_flight == 0
    await budget.acquire()
    assert budget.in_flight == 1
