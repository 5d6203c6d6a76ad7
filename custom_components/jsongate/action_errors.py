"""Translated Home Assistant errors for what the client raises during an action or a send.

The client's errors carry no translation; here they become a `ServiceValidationError`
(the caller's input) or a `HomeAssistantError` (the gateway's refusal or a network
problem), each with a translation key of this integration. Per-recipient send errors
(`SendErrorKind`) have a translated text each, `send_error_<kind>`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.translation import async_get_translations

from .api import (
    AccountBlockedError,
    AuthenticationError,
    CommunicationError,
    GatewayError,
    InvalidInputError,
    InvalidPhoneNumberError,
    InvalidResponseError,
    InvalidSenderError,
    RequestRefusedError,
    RequestTimeoutError,
    SendErrorKind,
)
from .api.outgoing import EMPTY_MESSAGE, NO_RECIPIENTS, WAP_PUSH_WITHOUT_URL
from .const import DOMAIN
from .sender import SenderClosedError, SendOutcomeUnknownError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

# The client's input errors (by `reason`) that have a message of their own.
_INPUT_ERROR_KEYS = {
    EMPTY_MESSAGE: "empty_message",
    NO_RECIPIENTS: "no_recipients",
    WAP_PUSH_WITHOUT_URL: "wappush_without_url",
}


def invalid_input(error: InvalidInputError) -> ServiceValidationError:
    """The translated validation error for a value the client refused."""
    if isinstance(error, InvalidPhoneNumberError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_phone",
            translation_placeholders={"phones": str(error.value)},
        )
    if isinstance(error, InvalidSenderError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_sender",
            translation_placeholders={"sender": str(error.value)},
        )
    if key := _INPUT_ERROR_KEYS.get(error.reason):
        return ServiceValidationError(translation_domain=DOMAIN, translation_key=key)
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_input",
        translation_placeholders={"error": str(error)},
    )


def gateway_failure(
    hass: HomeAssistant, entry: ConfigEntry, error: GatewayError
) -> HomeAssistantError:
    """The translated error for a request the gateway refused or never answered.

    A refused login also starts the entry's reauthentication.
    """
    placeholders: dict[str, str] = {}
    if isinstance(error, AuthenticationError):
        entry.async_start_reauth(hass)
        key = "action_auth_failed"
    elif isinstance(error, AccountBlockedError):
        key = "action_account_blocked"
    elif isinstance(error, RequestRefusedError):
        key, placeholders = "action_refused", {"error": error.gateway_text}
    elif isinstance(error, RequestTimeoutError):
        key = "action_timeout"
    elif isinstance(error, CommunicationError):
        key = "action_cannot_connect"
    elif isinstance(error, InvalidResponseError):
        key = "action_invalid_response"
    else:
        key, placeholders = "action_failed", {"error": str(error)}
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


@contextmanager
def translated_errors(hass: HomeAssistant, entry: ConfigEntry) -> Iterator[None]:
    """Raise the client's errors inside the block as translated Home Assistant errors."""
    try:
        yield
    except InvalidInputError as error:
        raise invalid_input(error) from error
    except GatewayError as error:
        raise gateway_failure(hass, entry, error) from error
    except SenderClosedError as error:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="entry_unloading",
            translation_placeholders={"entry_title": entry.title},
        ) from error
    except SendOutcomeUnknownError as error:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="send_outcome_unknown",
            translation_placeholders={"entry_title": entry.title},
        ) from error


def send_error_key(kind: SendErrorKind) -> str:
    """The translation key (in `exceptions`) of a per-recipient send error."""
    return f"send_error_{kind.value}"


async def async_send_error_texts(hass: HomeAssistant) -> dict[SendErrorKind, str]:
    """The translated text of each per-recipient send error, in the user's language."""
    translations = await async_get_translations(hass, hass.config.language, "exceptions", [DOMAIN])
    return {
        kind: translations.get(
            f"component.{DOMAIN}.exceptions.{send_error_key(kind)}.message", kind.value
        )
        for kind in SendErrorKind
    }
