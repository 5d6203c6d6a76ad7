"""The "out of money" repair issue of a jsonGate account.

Raised when the gateway refuses an SMS for lack of money (or because the account's SMS
package is used up), withdrawn once the balance is back: when a later SMS is accepted,
or when a poll shows more money, or more SMS in some area, than when the gateway refused.
The issue is not kept across restarts: the next refusal raises it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback

from .api import SendErrorKind
from .issues import ISSUE_OUT_OF_MONEY, async_clear_issue, async_raise_issue

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from homeassistant.core import HomeAssistant

    from .api import Balance, SendResult
    from .data import JsonGateConfigEntry

# The refusals that mean the account can't pay for the SMS.
OUT_OF_MONEY_ERRORS: Final = frozenset({SendErrorKind.INSUFFICIENT_FUNDS, SendErrorKind.OUT_OF_SMS})


class OutOfMoneyIssue:
    """Raises and withdraws one account's "out of money" issue."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: JsonGateConfigEntry,
        balance: Callable[[], Balance | None],
    ) -> None:
        """Watch the sends and polls of `entry`; `balance` is the last balance read."""
        self._hass = hass
        self._entry = entry
        self._balance = balance
        self._raised = False
        # The balance when the gateway refused; the issue goes when it has grown.
        self._refused_with: Balance | None = None

    @property
    def raised(self) -> bool:
        """Whether the issue is shown."""
        return self._raised

    @callback
    def async_check_send(self, results: Sequence[SendResult]) -> None:
        """Look at one request's results: a refusal for money raises, an accepted SMS clears."""
        if any(result.error in OUT_OF_MONEY_ERRORS for result in results):
            self._refused_with = self._balance()
            self._raised = True
            async_raise_issue(self._hass, self._entry, ISSUE_OUT_OF_MONEY)
        elif any(result.accepted for result in results):
            self._clear()

    @callback
    def async_check_balance(self) -> None:
        """Withdraw the issue if the last poll shows more to spend than at the refusal."""
        if not self._raised or (balance := self._balance()) is None:
            return
        refused_with = self._refused_with
        if refused_with is None or _grew(refused_with, balance):
            self._clear()

    def _clear(self) -> None:
        if self._raised:
            self._raised = False
            self._refused_with = None
            async_clear_issue(self._hass, self._entry, ISSUE_OUT_OF_MONEY)


def _grew(before: Balance, now: Balance) -> bool:
    """Whether `now` has more money, or more SMS in some area, than `before`."""
    if now.money > before.money:
        return True
    counts = {area.area: area.sms_available for area in before.areas}
    return any(area.sms_available > counts.get(area.area, 0) for area in now.areas)
