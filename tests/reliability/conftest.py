"""Fixtures of the fault matrix, and the table it prints at the end of the run.

The simulator, its server and the demo gateway entry are the integration tests' own
fixtures (`tests/integration/conftest.py`), imported here rather than copied.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from tests.integration.conftest import (  # noqa: F401 - fixtures, found by name
    auto_enable_custom_integrations,
    gateway_entry,
    simulator,
    simulator_server,
)

from .harness import FAULTS, InFlight, World

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter


# --- the table ---------------------------------------------------------------------------


@dataclass
class Cell:
    """One fault × operation: what happened, in a few words and counts."""

    fault: str
    operation: str
    text: str = ""
    passed: bool | None = None
    seconds: float = 0.0


@dataclass
class MatrixTable:
    """Every cell of the run, printed as fault × operation tables."""

    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def render(self) -> list[str]:
        """The tables as lines: one for plain operations, one with a restart mid-way."""
        operations = list(dict.fromkeys(cell.operation for cell in self.cells.values()))
        faults = [fault.name for fault in FAULTS]
        extra = [c.fault for c in self.cells.values() if c.fault not in faults]
        faults += list(dict.fromkeys(extra))
        lines: list[str] = []
        for title, columns in (
            ("fault × operation", [op for op in operations if "restart" not in op]),
            (
                "fault × operation, Home Assistant restarted mid-way",
                [op for op in operations if "restart" in op],
            ),
        ):
            if columns:
                lines += ["", title, *self._table(faults, columns)]
        failed = [c for c in self.cells.values() if c.passed is False]
        seconds = sum(cell.seconds for cell in self.cells.values())
        lines += [
            "",
            f"{len(self.cells)} cells, {len(failed)} failed (✗), {seconds:.1f} s of tests.",
            *LEGEND,
        ]
        return lines

    def _table(self, faults: list[str], columns: list[str]) -> list[str]:
        rows = [["fault", *columns]]
        for fault in faults:
            cells = [self.cells.get((fault, column)) for column in columns]
            if not any(cells):
                continue
            rows.append([fault, *(self._text(cell) for cell in cells)])
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        out = []
        for number, row in enumerate(rows):
            out.append(
                " | ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
            )
            if number == 0:
                out.append("-+-".join("-" * width for width in widths))
        return out

    @staticmethod
    def _text(cell: Cell | None) -> str:
        if cell is None:
            return ""
        mark = "✗ " if cell.passed is False else ""
        return f"{mark}{cell.text}"


LEGEND = (
    "sms a/b: of b SMS the gateway received, a made a `received` event (in order, once).",
    "rep a/b: of b messages that reached a final state, a made a delivery report.",
    (
        "↓n[l] ↑n[l]: times the balance sensor went unavailable / came back [coordinator "
        "log lines]; setup retry[l]: Home Assistant's lines about the entry waiting after "
        "a restart."
    ),
    (
        "ids / err: calls answered with message ids / with a translated error (its key); "
        "sent: calls whose SMS the gateway sent; 2×: client_id_sms the gateway processed "
        "twice."
    ),
    (
        "Request faults hit every request in `poll`, the `sms` requests in sends, the "
        "`state` requests in `delivery`; the account's faults hit everything."
    ),
)
MATRIX = pytest.StashKey[MatrixTable]()
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_configure(config: pytest.Config) -> None:
    """Start an empty table."""
    config.stash[MATRIX] = MatrixTable()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, for the cell's verdict."""
    report = yield
    item.stash.setdefault(REPORTS, {})[call.when] = report
    return report


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    """Print the matrix after the run."""
    table = config.stash.get(MATRIX, None)
    if table is None or not table.cells:
        return
    terminalreporter.section("fault matrix (tests/reliability)")
    for line in table.render():
        terminalreporter.write_line(line)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def matrix_cell(request: pytest.FixtureRequest) -> Iterator[Callable[[str, str], Cell]]:
    """Open the cell a test fills; its verdict is the test's."""
    opened: list[Cell] = []

    def open_cell(fault: str, operation: str) -> Cell:
        cell = Cell(fault, operation)
        request.config.stash[MATRIX].cells[fault, operation] = cell
        opened.append(cell)
        return cell

    yield open_cell
    reports = request.node.stash.get(REPORTS, {})
    for cell in opened:
        cell.passed = all(report.passed for report in reports.values())
        cell.seconds = sum(report.duration for report in reports.values())


@pytest.fixture
def inflight(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> InFlight:
    """The integration's requests in flight, and the event loop's executor jobs, counted."""
    counter = InFlight()
    counter.install(monkeypatch, hass.loop)
    return counter


@pytest.fixture
def world(  # noqa: PLR0917 - pytest passes fixtures by name
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,  # noqa: F811 - the imported fixture
    gateway_entry: MockConfigEntry,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    inflight: InFlight,
) -> World:
    """Home Assistant with the demo gateway entry (not set up), watched, on frozen time."""
    return World(hass, freezer, simulator, gateway_entry, caplog=caplog, inflight=inflight)
