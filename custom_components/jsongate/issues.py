"""Repair issues of a config entry: raised when something needs the user, gone when fixed.

Not named `repairs.py`: that name is the platform Home Assistant loads for fix flows.

Each issue is identified by its kind and the entry (`<kind>_<entry id>`), so two accounts
have issues of their own, and raising one twice changes nothing. The texts are the
`issues.<kind>` translations; each gets the entry's title as `entry_title`. Nothing here
offers a fix flow: what to do happens at the provider (or in the entry's settings).
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
    """Show the entry's issue of `kind` (translated as `issues.<kind>`)."""
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
