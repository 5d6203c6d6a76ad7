"""Subentry flows: a jsonGate account's recipients and a Scorocode app's audiences (notify)."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector

from .api import GatewayError, InvalidInputError, normalize_phones, validate_sender
from .api.scorocode import SMS_COLLECTIONS, Collection, parse_json_object
from .clients import GatewayRuntimeData
from .const import (
    CHANNEL_PUSH,
    CHANNEL_SMS,
    CONF_CHANNEL,
    CONF_COLLECTION,
    CONF_PHONE_NUMBERS,
    CONF_QUERY,
    CONF_SENDER,
    CONF_TRANSLITERATE,
)
from .errors import error_translation

if TYPE_CHECKING:
    from collections.abc import Mapping

type UserInput = dict[str, Any] | None
type Checked = tuple[dict[str, Any], dict[str, str], dict[str, str]]

AUDIENCE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): selector.TextSelector(),
        vol.Required(CONF_CHANNEL, default=CHANNEL_PUSH): selector.SelectSelector(
            {
                "options": [CHANNEL_PUSH, CHANNEL_SMS],
                "translation_key": CONF_CHANNEL,
                "mode": selector.SelectSelectorMode.LIST,
            }
        ),
        vol.Required(CONF_COLLECTION, default=Collection.DEVICES.value): selector.SelectSelector(
            {
                "options": [collection.value for collection in Collection],
                "translation_key": CONF_COLLECTION,
                "mode": selector.SelectSelectorMode.LIST,
            }
        ),
        vol.Optional(CONF_QUERY): selector.ObjectSelector(),
    }
)


class _SubentryFlow(ConfigSubentryFlow):
    """One form for adding and for reconfiguring a subentry."""

    schema: vol.Schema
    # JSON examples in the texts: the frontend would read their braces as placeholders.
    examples: Mapping[str, str] = {}

    async def _async_schema(self) -> vol.Schema:
        return self.schema

    def _check(self, user_input: dict[str, Any]) -> Checked:
        """The subentry data from the form, the form's errors and their placeholders."""
        raise NotImplementedError

    async def async_step_user(self, user_input: UserInput = None) -> SubentryFlowResult:
        """Add a subentry."""
        return await self._async_form("user", user_input, {})

    async def async_step_reconfigure(self, user_input: UserInput = None) -> SubentryFlowResult:
        """Change a subentry: the same form, filled in with its current values."""
        subentry = self._get_reconfigure_subentry()
        suggested = {CONF_NAME: subentry.title, **subentry.data}
        return await self._async_form("reconfigure", user_input, suggested)

    async def _async_form(
        self, step_id: str, user_input: UserInput, suggested: Mapping[str, Any]
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data, errors, placeholders = self._check(user_input)
            title = user_input[CONF_NAME].strip()
            if not errors and step_id == "user":
                return self.async_create_entry(title=title, data=data)
            if not errors:
                # The reason named: the subentry type's own text, not Home Assistant's.
                entry, subentry = self._get_entry(), self._get_reconfigure_subentry()
                return self.async_update_and_abort(
                    entry, subentry, title=title, data=data, reason="reconfigure_successful"
                )
            suggested = user_input
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(await self._async_schema(), suggested),
            errors=errors,
            description_placeholders={**self.examples, **placeholders},
        )


class RecipientSubentryFlowHandler(_SubentryFlow):
    """Adds or changes a recipient: the phone numbers one notify entity sends SMS to."""

    _senders: list[str] | None = None

    async def _async_schema(self) -> vol.Schema:
        """The form; the sender field offers the account's approved senders (read once)."""
        if self._senders is None:
            self._senders = []
            runtime = getattr(self._get_entry(), "runtime_data", None)
            # The list is a convenience: any sender name can still be typed.
            if isinstance(runtime, GatewayRuntimeData):
                with suppress(GatewayError):
                    self._senders = list((await runtime.client.get_senders()).approved)
        return vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Required(CONF_PHONE_NUMBERS): selector.TextSelector(
                    {"type": selector.TextSelectorType.TEL, "multiple": True}
                ),
                vol.Optional(CONF_SENDER): selector.SelectSelector(
                    {
                        "options": self._senders,
                        "custom_value": True,
                        "mode": selector.SelectSelectorMode.DROPDOWN,
                    }
                ),
                vol.Optional(CONF_TRANSLITERATE, default=False): selector.BooleanSelector(),
            }
        )

    def _check(self, user_input: dict[str, Any]) -> Checked:
        """The numbers (normalised, each once), the sender name and the transliteration."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        phones = [raw for raw in user_input.get(CONF_PHONE_NUMBERS) or [] if raw.strip()]
        try:
            phones = list(dict.fromkeys(normalize_phones(phones)))
        except InvalidInputError as error:
            errors[CONF_PHONE_NUMBERS], placeholders = error_translation(error)
        if sender := (user_input.get(CONF_SENDER) or "").strip() or None:
            try:
                sender = validate_sender(sender)
            except InvalidInputError as error:
                errors[CONF_SENDER] = error_translation(error)[0]
        transliterate = bool(user_input.get(CONF_TRANSLITERATE, False))
        data = {CONF_PHONE_NUMBERS: phones, CONF_SENDER: sender, CONF_TRANSLITERATE: transliterate}
        return data, errors, placeholders


class AudienceSubentryFlowHandler(_SubentryFlow):
    """Adds or changes an audience: whom one notify entity reaches in a Scorocode app."""

    schema = AUDIENCE_SCHEMA
    examples: Mapping[str, str] = {"query_example": '{"deviceType": "android"}'}

    def _check(self, user_input: dict[str, Any]) -> Checked:
        """The channel, the collection (one SMS can reach, for SMS) and the query."""
        errors: dict[str, str] = {}
        channel, collection = user_input[CONF_CHANNEL], user_input[CONF_COLLECTION]
        if channel == CHANNEL_SMS and Collection(collection) not in SMS_COLLECTIONS:
            errors[CONF_COLLECTION] = "sms_collection"
        if (query := parse_json_object(user_input.get(CONF_QUERY))) is None:
            errors[CONF_QUERY] = "invalid_query"
        data = {CONF_CHANNEL: channel, CONF_COLLECTION: collection, CONF_QUERY: query or {}}
        return data, errors, {}
