"""The "out of money" repair issue of a jsonGate account.

Raised when the gateway refuses an SMS for lack of money (or because the account's SMS
package is used up), withdrawn once the balance is back: when a later SMS is accepted,
or when a reading of the balance shows more money, or more SMS in some area, than the
first reading after the refusal (the refusal has the next poll read it). The issue is
shown while the entry is loaded: a reload keeps it (the new reading after it is the one
to beat), disabling or deleting the entry withdraws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir

from .api import SendErrorKind
from .const import DOMAIN
from .issues import ISSUE_OUT_OF_MONEY, async_clear_issue, async_raise_issue, issue_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from homeassistant.core import HomeAssistant

    from .api import Balance, SendResult
    from .coordinator import GatewayCoordinator
    from .data import JsonGateConfigEntry

# The refusals that mean the account can't pay for the SMS.
OUT_OF_MONEY_ERRORS: Final = frozenset({SendErrorKind.INSUFFICIENT_FUNDS, SendErrorKind.OUT_OF_SMS})


class OutOfMoneyIssue:
    """Raises and withdraws one account's "out of money" issue."""

    def __init__(
        self, hass: HomeAssistant, entry: JsonGateConfigEntry, coordinator: GatewayCoordinator
    ) -> None:
        """Watch the sends and the balance readings (`coordinator`) of `entry`."""
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        # Shown before this entry's reload: the balance read at this setup is the first
        # reading after that refusal.
        self._raised = (
            ir.async_get(hass).async_get_issue(DOMAIN, issue_id(ISSUE_OUT_OF_MONEY, entry))
            is not None
        )
        self._baseline: Balance | None = coordinator.data if self._raised else None
        # The balance reading that can be the baseline: one asked for after the refusal.
        self._mark = 0

    @property
    def raised(self) -> bool:
        """Whether the issue is shown."""
        return self._raised

    @callback
    def async_check_send(self, results: Sequence[SendResult]) -> None:
        """Look at one request's results: a refusal for money raises, an accepted SMS clears."""
        if any(result.error in OUT_OF_MONEY_ERRORS for result in results):
            # The balance known now may be half an hour old: what the refusal left is
            # the next reading, which the refusal asks for.
            self._baseline = None
            self._mark = self._coordinator.async_balance_changed()
            self._raised = True
            async_raise_issue(self._hass, self._entry, ISSUE_OUT_OF_MONEY)
        elif any(result.accepted for result in results):
            self._clear()

    @callback
    def async_check_balance(self) -> None:
        """Withdraw the issue if the balance read last has more to spend than at the refusal."""
        balance = self._coordinator.data
        if not self._raised or balance is None or self._coordinator.balance_mark < self._mark:
            return
        if self._baseline is None:
            self._baseline = balance
        elif _grew(self._baseline, balance):
            self._clear()

    def _clear(self) -> None:
        if self._raised:
            self._raised = False
            self._baseline = None
            async_clear_issue(self._hass, self._entry, ISSUE_OUT_OF_MONEY)


def _grew(before: Balance, now: Balance) -> bool:
    """Whether `now` has more money, or more SMS in some area, than `before`."""
    if now.money > before.money:
        return True
    counts = {area.area: area.sms_available for area in before.areas}
    return any(area.sms_available > counts.get(area.area, 0) for area in now.areas)
