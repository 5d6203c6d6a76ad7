"""Subentry flows: recipients of a jsonGate account and audiences of a Scorocode app.

Each subentry becomes one notify entity (see `notify`). A recipient is one or more
phone numbers, stored normalised, with an optional sender name (offered from the
account's approved senders) and transliteration. An audience is a channel (push or
SMS), a collection and a query (a JSON object) on a Scorocode application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    ObjectSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import (
    GatewayError,
    InvalidInputError,
    InvalidSenderError,
    normalize_phones,
    validate_sender,
)
from .api.scorocode import SMS_COLLECTIONS, Collection, parse_json_object
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
from .data import GatewayRuntimeData
from .errors import error_translation

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .data import JsonGateConfigEntry

STEP_USER: Final = "user"
STEP_RECONFIGURE: Final = "reconfigure"
RECONFIGURE_SUCCESSFUL: Final = "reconfigure_successful"


class _SubentryFlow(ConfigSubentryFlow):
    """One form for adding and for reconfiguring a subentry."""

    # Examples shown in the form's texts. Texts with braces, such as a JSON example,
    # can't be written in the translations: the frontend reads braces as placeholders.
    examples: Mapping[str, str] = {}

    def _schema(self) -> vol.Schema:
        raise NotImplementedError

    def _check(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        """The subentry data from the form, the form's errors and their placeholders."""
        raise NotImplementedError

    async def _async_prepare(self) -> None:
        """Fetch what the form offers (once per flow)."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a subentry."""
        return await self._async_form(STEP_USER, user_input, {})

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a subentry: the same form, filled in with its current values."""
        subentry = self._get_reconfigure_subentry()
        suggested = {CONF_NAME: subentry.title, **subentry.data}
        return await self._async_form(STEP_RECONFIGURE, user_input, suggested)

    async def _async_form(
        self, step_id: str, user_input: dict[str, Any] | None, suggested: dict[str, Any]
    ) -> SubentryFlowResult:
        await self._async_prepare()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data, errors, placeholders = self._check(user_input)
            title = user_input[CONF_NAME].strip()
            if not errors and step_id == STEP_USER:
                return self.async_create_entry(title=title, data=data)
            if not errors:
                # The reason named, so that the subentry type's own text is shown
                # instead of Home Assistant's generic one.
                return self.async_update_and_abort(
                    self._get_entry(),
                    self._get_reconfigure_subentry(),
                    title=title,
                    data=data,
                    reason=RECONFIGURE_SUCCESSFUL,
                )
            suggested = user_input
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(self._schema(), suggested),
            errors=errors,
            description_placeholders={**self.examples, **placeholders},
        )


class RecipientSubentryFlowHandler(_SubentryFlow):
    """Adds or changes a recipient: the phone numbers one notify entity sends SMS to."""

    _senders: tuple[str, ...] | None = None

    async def _async_prepare(self) -> None:
        if self._senders is not None:
            return
        self._senders = ()
        entry: JsonGateConfigEntry = self._get_entry()
        runtime = getattr(entry, "runtime_data", None)
        if isinstance(runtime, GatewayRuntimeData):
            try:
                self._senders = (await runtime.client.get_senders()).approved
            except GatewayError:
                # The list is a convenience: any sender name can still be typed.
                self._senders = ()

    def _schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): TextSelector(),
                vol.Required(CONF_PHONE_NUMBERS): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.TEL, multiple=True)
                ),
                vol.Optional(CONF_SENDER): SelectSelector(
                    SelectSelectorConfig(
                        options=list(self._senders or ()),
                        custom_value=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Optional(CONF_TRANSLITERATE, default=False): BooleanSelector(),
            }
        )

    def _check(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        phones: list[str] = []
        raw_phones = [raw for raw in user_input.get(CONF_PHONE_NUMBERS) or [] if raw.strip()]
        try:
            phones = list(dict.fromkeys(normalize_phones(raw_phones)))
        except InvalidInputError as error:
            errors[CONF_PHONE_NUMBERS], placeholders = error_translation(error)
        sender: str | None = None
        if raw_sender := (user_input.get(CONF_SENDER) or "").strip():
            try:
                sender = validate_sender(raw_sender)
            except InvalidSenderError as error:
                errors[CONF_SENDER] = error_translation(error)[0]
        data = {
            CONF_PHONE_NUMBERS: phones,
            CONF_SENDER: sender,
            CONF_TRANSLITERATE: bool(user_input.get(CONF_TRANSLITERATE, False)),
        }
        return data, errors, placeholders


class AudienceSubentryFlowHandler(_SubentryFlow):
    """Adds or changes an audience: whom one notify entity reaches in a Scorocode app."""

    examples: Mapping[str, str] = {"query_example": '{"deviceType": "android"}'}

    def _schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): TextSelector(),
                vol.Required(CONF_CHANNEL, default=CHANNEL_PUSH): SelectSelector(
                    SelectSelectorConfig(
                        options=[CHANNEL_PUSH, CHANNEL_SMS],
                        translation_key=CONF_CHANNEL,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                vol.Required(CONF_COLLECTION, default=Collection.DEVICES.value): SelectSelector(
                    SelectSelectorConfig(
                        options=[collection.value for collection in Collection],
                        translation_key=CONF_COLLECTION,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                vol.Optional(CONF_QUERY): ObjectSelector(),
            }
        )

    def _check(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        channel = user_input[CONF_CHANNEL]
        collection = user_input[CONF_COLLECTION]
        if channel == CHANNEL_SMS and Collection(collection) not in SMS_COLLECTIONS:
            errors[CONF_COLLECTION] = "sms_collection"
        query = parse_json_object(user_input.get(CONF_QUERY))
        if query is None:
            errors[CONF_QUERY] = "invalid_query"
        data = {CONF_CHANNEL: channel, CONF_COLLECTION: collection, CONF_QUERY: query or {}}
        return data, errors, {}
