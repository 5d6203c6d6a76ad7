"""Repair issues of a config entry: raised when something needs the user, gone when fixed.

Not named `repairs.py`, the platform Home Assistant loads for fix flows: none is offered, what
to do happens at the provider or in the entry's settings. An issue's id is `<kind>_<entry id>`
(each account has its own), its texts are `issues.<kind>` with the entry's `entry_title`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

# The provider blocked the account: the entry stops until it is reloaded or reconfigured.
ISSUE_ACCOUNT_BLOCKED: Final = "account_blocked"
# The gateway refused SMS for lack of money (or of SMS in a package).
ISSUE_OUT_OF_MONEY: Final = "out_of_money"
# The account reached its daily SMS limit, or a send was refused by it (spending_guard).
ISSUE_DAILY_SMS_LIMIT: Final = "daily_sms_limit_reached"
ISSUE_KINDS: Final = (ISSUE_ACCOUNT_BLOCKED, ISSUE_OUT_OF_MONEY, ISSUE_DAILY_SMS_LIMIT)


def issue_id(kind: str, entry: ConfigEntry) -> str:
    """The id of an entry's issue of `kind`."""
    return f"{kind}_{entry.entry_id}"


def async_raise_issue(
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    *,
    severity: ir.IssueSeverity = ir.IssueSeverity.ERROR,
    placeholders: dict[str, str] | None = None,
) -> None:
    """Show the entry's issue of `kind`, or update its texts' placeholders."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry),
        is_fixable=False,
        is_persistent=False,
        severity=severity,
        translation_key=kind,
        translation_placeholders={"entry_title": entry.title, **(placeholders or {})},
    )


def async_clear_issue(hass: HomeAssistant, entry: ConfigEntry, kind: str) -> None:
    """Withdraw the entry's issue of `kind`, if it is shown."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry))


def async_clear_all_issues(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Withdraw every issue of an entry (it was disabled or deleted)."""
    for kind in ISSUE_KINDS:
        async_clear_issue(hass, entry, kind)


class EntryIssue:
    """One issue of an entry that knows whether it is shown (a reload finds it shown).

    Withdrawing one that isn't shown touches no registry: most sends withdraw one.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        kind: str,
        severity: ir.IssueSeverity = ir.IssueSeverity.ERROR,
    ) -> None:
        """The entry's issue of `kind`, shown with `severity`."""
        self._hass = hass
        self._entry = entry
        self._kind = kind
        self._severity = severity
        self.shown = ir.async_get(hass).async_get_issue(DOMAIN, issue_id(kind, entry)) is not None

    def show(self, **placeholders: str) -> None:
        """Show the issue, with these placeholders besides `entry_title`."""
        async_raise_issue(
            self._hass, self._entry, self._kind, severity=self._severity, placeholders=placeholders
        )
        self.shown = True

    def withdraw(self) -> None:
        """Withdraw the issue if it is shown."""
        if self.shown:
            async_clear_issue(self._hass, self._entry, self._kind)
            self.shown = False
