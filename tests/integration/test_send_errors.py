"""How the client's errors become translated Home Assistant errors."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api import (
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
from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.errors import (
    async_send_error_texts,
    translated_errors,
)
from custom_components.jsongate.sender import SenderClosedError


@pytest.fixture
def entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(domain=DOMAIN, title="Account", data={"entry_type": "gateway"})
    entry.add_to_hass(hass)
    return entry


@pytest.mark.parametrize(
    ("error", "kind", "key", "placeholders"),
    [
        (
            InvalidPhoneNumberError("bad", "12"),
            ServiceValidationError,
            "invalid_phone",
            {"phones": "12"},
        ),
        (
            InvalidSenderError("bad", "X" * 12),
            ServiceValidationError,
            "invalid_sender",
            {"sender": "X" * 12},
        ),
        (
            InvalidInputError("The message text is empty", reason="empty_message"),
            ServiceValidationError,
            "empty_message",
            {},
        ),
        (
            InvalidInputError("A WAP push needs a url", reason="wappush_without_url"),
            ServiceValidationError,
            "wappush_without_url",
            {},
        ),
        (InvalidInputError("Odd"), ServiceValidationError, "invalid_input", {"error": "Odd"}),
        (AccountBlockedError("x"), HomeAssistantError, "account_blocked", {}),
        (
            RequestRefusedError("Нет"),
            HomeAssistantError,
            "request_refused",
            {"gateway_text": "Нет"},
        ),
        (RequestTimeoutError("x"), HomeAssistantError, "timeout", {}),
        (CommunicationError("x"), HomeAssistantError, "cannot_connect", {}),
        (InvalidResponseError("x"), HomeAssistantError, "invalid_response", {}),
        (GatewayError("other"), HomeAssistantError, "cannot_connect", {}),
        (SenderClosedError(), HomeAssistantError, "entry_unloading", {"entry_title": "Account"}),
    ],
)
async def test_errors_are_translated(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    *,
    error: Exception,
    kind: type[Exception],
    key: str,
    placeholders: dict[str, str],
) -> None:
    with pytest.raises(kind) as caught, translated_errors(hass, entry):
        raise error
    assert isinstance(caught.value, HomeAssistantError)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert caught.value.__cause__ is error


async def test_authentication_error_starts_reauth(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as caught, translated_errors(hass, entry):
        raise AuthenticationError("no")
    assert caught.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    assert [
        flow["context"]["source"] for flow in entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    ] == [SOURCE_REAUTH]


async def test_every_send_error_has_a_text(hass: HomeAssistant) -> None:
    texts = await async_send_error_texts(hass)
    assert set(texts) == set(SendErrorKind)
    assert all(texts[kind] != kind.value for kind in SendErrorKind)
    assert texts[SendErrorKind.STOP_LIST] == "The number is in the account's stop list."
