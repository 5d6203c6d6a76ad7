"""Repair issues of a config entry (not `repairs.py`: no fix flow, the fix is at the provider)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir

from .api import SendErrorKind
from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Sequence

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import Balance, SendResult
    from .coordinator import GatewayCoordinator

ISSUE_ACCOUNT_BLOCKED: Final = "account_blocked"
ISSUE_OUT_OF_MONEY: Final = "out_of_money"
ISSUE_DAILY_SMS_LIMIT: Final = "daily_sms_limit_reached"
OUT_OF_MONEY_ERRORS: Final = frozenset({SendErrorKind.INSUFFICIENT_FUNDS, SendErrorKind.OUT_OF_SMS})
_SEVERITY: Final = {ISSUE_DAILY_SMS_LIMIT: ir.IssueSeverity.WARNING}  # the others: ERROR


def issue_id(kind: str, entry: ConfigEntry) -> str:
    """The id of an entry's issue of `kind`."""
    return f"{kind}_{entry.entry_id}"


def async_clear_all_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Withdraw every issue of an entry (it was disabled or deleted)."""
    for kind in (ISSUE_ACCOUNT_BLOCKED, ISSUE_OUT_OF_MONEY, ISSUE_DAILY_SMS_LIMIT):
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry))


class EntryIssue:
    """An entry's issue of one kind (texts `issues.<kind>`), which knows whether it is shown."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, kind: str) -> None:
        """The issue of `kind` of `entry`."""
        self._hass = hass
        self._entry = entry
        self._kind = kind
        self._id = issue_id(kind, entry)
        self.shown = ir.async_get(hass).async_get_issue(DOMAIN, self._id) is not None

    @callback
    def show(self, **placeholders: str) -> None:
        """Show the issue, or update its `placeholders`."""
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self._id,
            is_fixable=False,
            is_persistent=False,
            severity=_SEVERITY.get(self._kind, ir.IssueSeverity.ERROR),
            translation_key=self._kind,
            translation_placeholders={"entry_title": self._entry.title, **placeholders},
        )
        self.shown = True

    @callback
    def withdraw(self) -> None:
        """Withdraw the issue if it is shown (most sends ask: no registry call then)."""
        if self.shown:
            ir.async_delete_issue(self._hass, DOMAIN, self._id)
            self.shown = False


class OutOfMoneyIssue(EntryIssue):
    """An account's "out of money" issue, shown while the gateway refuses SMS for lack of money."""

    def __init__(self, coordinator: GatewayCoordinator) -> None:
        """Watch the sends and the balance readings of the account `coordinator` polls."""
        super().__init__(coordinator.hass, coordinator.config_entry, ISSUE_OUT_OF_MONEY)
        self._coordinator = coordinator
        # The reading to beat: the first after the refusal, or at setup after a reload.
        self._baseline: Balance | None = coordinator.data if self.shown else None
        self._mark = 0  # the `balance_mark` that reading must come after

    @callback
    def async_check_send(self, results: Sequence[SendResult]) -> None:
        """Show the issue on a refusal for money in these results; withdraw it on an SMS sent."""
        if any(result.error in OUT_OF_MONEY_ERRORS for result in results):
            # The balance known now may be half an hour old: the next reading is the baseline.
            self._baseline = None
            self._mark = self._coordinator.async_balance_changed()
            self.show()
        elif any(result.accepted for result in results):
            self.withdraw()

    @callback
    def async_check_balance(self) -> None:
        """Withdraw the issue if the balance read last has more to spend than at the refusal."""
        balance = self._coordinator.data
        if not self.shown or balance is None or self._coordinator.balance_mark < self._mark:
            return
        if self._baseline is None:
            self._baseline = balance
            return
        sms_before = {area.area: area.sms_available for area in self._baseline.areas}
        if balance.money > self._baseline.money or any(
            area.sms_available > sms_before.get(area.area, 0) for area in balance.areas
        ):
            self.withdraw()
