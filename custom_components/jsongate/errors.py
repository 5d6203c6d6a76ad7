"""The one error vocabulary: the translation key of each error of the client and the send path.

Raised as `exceptions.<key>`; the flows show the same key as a form error.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.translation import async_get_translations

from .api import (
    AccountBlockedError,
    AuthenticationError,
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

# The translation key of each error type; an error takes the entry of its nearest class.
ERROR_KEYS: Final[dict[type[Exception], str]] = {
    GatewayError: "cannot_connect",
    AuthenticationError: "invalid_auth",
    AccountBlockedError: "account_blocked",
    RequestRefusedError: "request_refused",
    RequestTimeoutError: "timeout",
    InvalidResponseError: "invalid_response",
    SenderClosedError: "entry_unloading",
    SendOutcomeUnknownError: "send_outcome_unknown",
}
# The translation key of each `InvalidInputError.reason`; any other: `invalid_input`.
INPUT_ERROR_KEYS: Final[dict[str, str]] = {
    InvalidPhoneNumberError.reason: "invalid_phone",
    InvalidSenderError.reason: "invalid_sender",
    EMPTY_MESSAGE: "empty_message",
    NO_RECIPIENTS: "no_recipients",
    WAP_PUSH_WITHOUT_URL: "wappush_without_url",
    "invalid_collection": "invalid_collection",
    "sms_collection": "sms_collection",
}


def error_translation(error: Exception, entry_title: str = "") -> tuple[str, dict[str, str]]:
    """The translation key of `error` and its placeholders."""
    if isinstance(error, InvalidInputError):
        key = INPUT_ERROR_KEYS.get(error.reason, "invalid_input")
    else:
        key = next(ERROR_KEYS[kind] for kind in type(error).__mro__ if kind in ERROR_KEYS)
    value = str(getattr(error, "value", ""))
    placeholders = {
        "request_refused": {"gateway_text": str(getattr(error, "gateway_text", ""))},
        "invalid_phone": {"phones": value},
        "invalid_sender": {"sender": value},
        "invalid_collection": {"collection": value},
        "sms_collection": {"collection": value},
        "invalid_input": {"error": str(error)},
        "entry_unloading": {"entry_title": entry_title},
        "send_outcome_unknown": {"entry_title": entry_title},
    }
    return key, placeholders.get(key, {})


def translated(
    kind: type[HomeAssistantError], error: Exception, entry_title: str = ""
) -> HomeAssistantError:
    """`error` as a Home Assistant error of `kind`, with its translation."""
    key, values = error_translation(error, entry_title)
    return kind(translation_domain=DOMAIN, translation_key=key, translation_placeholders=values)


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """The translated refusal (`exceptions.<key>`) of an action's input."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def entry_error(error: GatewayError, retry: type[HomeAssistantError]) -> HomeAssistantError:
    """What setting up or polling an entry raises: reauthentication, a stop, or `retry`."""
    # A blocked account is a stop: retrying can't help until the provider unblocks it.
    stops = {AuthenticationError: ConfigEntryAuthFailed, AccountBlockedError: ConfigEntryError}
    return translated(stops.get(type(error), retry), error)


@contextmanager
def translated_errors(hass: HomeAssistant, entry: ConfigEntry) -> Iterator[None]:
    """Raise the block's errors translated; a refused login also starts reauthentication."""
    try:
        yield
    except InvalidInputError as error:
        raise translated(ServiceValidationError, error) from error
    except tuple(ERROR_KEYS) as error:
        if isinstance(error, AuthenticationError):
            entry.async_start_reauth(hass)
        raise translated(HomeAssistantError, error, entry.title) from error


async def async_send_error_texts(hass: HomeAssistant) -> dict[SendErrorKind, str]:
    """The translated text of each per-recipient send error, in the user's language."""
    texts = await async_get_translations(hass, hass.config.language, "exceptions", [DOMAIN])
    return {
        kind: texts.get(f"component.{DOMAIN}.exceptions.send_error_{kind}.message", kind.value)
        for kind in SendErrorKind
    }
