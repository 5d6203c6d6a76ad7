"""The "out of money" repair issue of a jsonGate account.

Raised when the gateway refuses an SMS for lack of money (or of SMS in the account's
package); withdrawn once the balance is back: a later SMS is accepted, or a balance reading
shows more money, or more SMS in some area, than the first reading after the refusal (which
the refusal asks the next poll for). A reload keeps the issue (the reading at setup is then
the one to beat); disabling or deleting the entry withdraws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback

from .api import SendErrorKind
from .issues import ISSUE_OUT_OF_MONEY, EntryIssue

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
        self._coordinator = coordinator
        self._issue = EntryIssue(hass, entry, ISSUE_OUT_OF_MONEY)
        # The reading the balance must beat: unknown until the first one after the refusal.
        self._baseline: Balance | None = coordinator.data if self._issue.shown else None
        # The `balance_mark` of that first reading.
        self._mark = 0

    @callback
    def async_check_send(self, results: Sequence[SendResult]) -> None:
        """Look at one request's results: a refusal for money raises, an accepted SMS clears."""
        if any(result.error in OUT_OF_MONEY_ERRORS for result in results):
            # The balance known now may be half an hour old: what the refusal left is the
            # next reading, which the refusal asks for.
            self._baseline = None
            self._mark = self._coordinator.async_balance_changed()
            self._issue.show()
        elif any(result.accepted for result in results):
            self._issue.withdraw()

    @callback
    def async_check_balance(self) -> None:
        """Withdraw the issue if the balance read last has more to spend than at the refusal."""
        balance = self._coordinator.data
        if not self._issue.shown or balance is None or self._coordinator.balance_mark < self._mark:
            return
        if self._baseline is None:
            self._baseline = balance
        elif _grew(self._baseline, balance):
            self._issue.withdraw()


def _grew(before: Balance, now: Balance) -> bool:
    """Whether `now` has more money, or more SMS in some area, than `before`."""
    if now.money > before.money:
        return True
    counts = {area.area: area.sms_available for area in before.areas}
    return any(area.sms_available > counts.get(area.area, 0) for area in now.areas)
