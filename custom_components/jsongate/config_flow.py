"""Config flow: a jsonGate account or a Scorocode application; reauth, reconfigure, options."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from yarl import URL

from .api import DEFAULT_SCOROCODE_URL, GatewayError
from .clients import (
    async_check_scorocode,
    gateway_client,
    gateway_login,
    gateway_title,
    gateway_unique_id,
    scorocode_client,
    scorocode_title,
)
from .const import (
    CONF_ACCESS_KEY,
    CONF_API_TOKEN,
    CONF_APP_ID,
    CONF_CLIENT_KEY,
    CONF_DAILY_SMS_LIMIT,
    CONF_DELIVERY_REPORTS,
    CONF_ENTRY_TYPE,
    CONF_SESSION_ID,
    CONFIG_ENTRY_MINOR_VERSION,
    CONFIG_ENTRY_VERSION,
    DEFAULT_DAILY_SMS_LIMIT,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
    ENTRY_TYPE_SCOROCODE,
    KNOWN_PROVIDERS,
    SUBENTRY_AUDIENCE,
    SUBENTRY_RECIPIENT,
)
from .errors import error_translation
from .subentry_flow import AudienceSubentryFlowHandler, RecipientSubentryFlowHandler

if TYPE_CHECKING:
    from collections.abc import Mapping

_LOGGER = logging.getLogger(__name__)

# Shown in the gateway form's texts as an example of a provider's address (no URL may
# be written in the translations themselves).
EXAMPLE_PROVIDER_URL = "https://sms.example.com"
STEP_REAUTH_GATEWAY = "reauth_gateway"
STEP_REAUTH_SCOROCODE = "reauth_scorocode"
STEP_RECONFIGURE_GATEWAY = "reconfigure_gateway"
STEP_RECONFIGURE_SCOROCODE = "reconfigure_scorocode"
# A bound for typos, far above any household's needs.
MAX_DAILY_SMS_LIMIT = 100_000
_TEXT = TextSelector()
_SECRET = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)

GATEWAY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): SelectSelector(
            SelectSelectorConfig(
                options=[
                    SelectOptionDict(value=url, label=f"{name} ({URL(url).host})")
                    for url, name in KNOWN_PROVIDERS.items()
                ],
                custom_value=True,
                mode=SelectSelectorMode.DROPDOWN,
            )
        ),
        vol.Optional(CONF_USERNAME): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="username")
        ),
        vol.Optional(CONF_PASSWORD): _PASSWORD,
        vol.Optional(CONF_API_TOKEN): _SECRET,
        vol.Required(CONF_VERIFY_SSL, default=True): BooleanSelector(),
    }
)
SCOROCODE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL, default=DEFAULT_SCOROCODE_URL): TextSelector(
            TextSelectorConfig(type=TextSelectorType.URL)
        ),
        vol.Required(CONF_APP_ID): _TEXT,
        vol.Required(CONF_CLIENT_KEY): _SECRET,
        vol.Required(CONF_ACCESS_KEY): _SECRET,
        vol.Optional(CONF_SESSION_ID): _SECRET,
    }
)
GATEWAY_REAUTH_SCHEMA = vol.Schema(
    {vol.Optional(CONF_PASSWORD): _PASSWORD, vol.Optional(CONF_API_TOKEN): _SECRET}
)
# An account added with its token alone has no login a password could go with.
TOKEN_REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_API_TOKEN): _SECRET})
SCOROCODE_REAUTH_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_ACCESS_KEY): _SECRET,
        vol.Optional(CONF_SESSION_ID): _SECRET,
        vol.Optional(CONF_CLIENT_KEY): _SECRET,
    }
)
# Secrets are never shown back; left blank in a reconfigure, the stored one is kept.
GATEWAY_SECRETS = (CONF_PASSWORD, CONF_API_TOKEN)
SCOROCODE_SECRETS = (CONF_CLIENT_KEY, CONF_ACCESS_KEY, CONF_SESSION_ID)
SCOROCODE_RECONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        vol.Required(CONF_APP_ID): _TEXT,
        vol.Optional(CONF_CLIENT_KEY): _SECRET,
        vol.Optional(CONF_ACCESS_KEY): _SECRET,
        vol.Optional(CONF_SESSION_ID): _SECRET,
    }
)

type Errors = dict[str, str]


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Stripped texts; blank optional texts dropped."""
    cleaned: dict[str, Any] = {}
    for key, value in user_input.items():
        if isinstance(value, str):
            value = value.strip()  # noqa: PLW2901 - the cleaned value replaces the raw one
            if not value:
                continue
        cleaned[key] = value
    return cleaned


def _without_secrets(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in data.items()
        if key not in (*GATEWAY_SECRETS, *SCOROCODE_SECRETS)
    }


def _entry_data(user_input: Mapping[str, Any], entry_type: str) -> tuple[dict[str, Any], Errors]:
    """Entry data from the form of an `entry_type` entry, or the form's errors."""
    data = _clean(user_input)
    data[CONF_URL] = data.get(CONF_URL, "").rstrip("/")
    data[CONF_ENTRY_TYPE] = entry_type
    parsed = URL(data[CONF_URL])
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return data, {CONF_URL: "invalid_url"}
    if entry_type == ENTRY_TYPE_SCOROCODE:
        return data, {}
    data.setdefault(CONF_VERIFY_SSL, True)
    has_login = bool(data.get(CONF_USERNAME) and data.get(CONF_PASSWORD))
    if not has_login and not data.get(CONF_API_TOKEN):
        return data, {"base": "missing_credentials"}
    return data, {}


class JsonGateConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds a jsonGate account or a Scorocode application."""

    VERSION = CONFIG_ENTRY_VERSION
    MINOR_VERSION = CONFIG_ENTRY_MINOR_VERSION

    def __init__(self) -> None:
        """Start with no gateway text to show."""
        self._placeholders: dict[str, str] = {}

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Recipients for a jsonGate account, audiences for a Scorocode application."""
        if config_entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE:
            return {SUBENTRY_AUDIENCE: AudienceSubentryFlowHandler}
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlowHandler}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only a jsonGate account is polled, so only it has options."""
        return config_entry.data.get(CONF_ENTRY_TYPE) != ENTRY_TYPE_SCOROCODE

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:  # noqa: ARG004
        """Options of a jsonGate account."""
        return JsonGateOptionsFlow()

    async def async_step_user(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - a menu takes no input
    ) -> ConfigFlowResult:
        """Ask which kind of service to add."""
        return self.async_show_menu(
            step_id="user", menu_options=[ENTRY_TYPE_GATEWAY, ENTRY_TYPE_SCOROCODE]
        )

    async def async_step_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a jsonGate account, checked with a `balance` request."""
        errors: Errors = {}
        if user_input is not None:
            data, errors = _entry_data(user_input, ENTRY_TYPE_GATEWAY)
            if not errors:
                await self.async_set_unique_id(gateway_unique_id(data))
                self._abort_if_unique_id_configured()
                if self._entry_with_token(data) is not None:
                    return self.async_abort(reason="already_configured")
                errors = await self._async_check(data)
            if not errors:
                return self.async_create_entry(
                    title=gateway_title(data),
                    data=data,
                    options={CONF_DELIVERY_REPORTS: True},
                )
        return self._form("gateway", GATEWAY_SCHEMA, user_input, errors)

    async def async_step_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a Scorocode application, checked with a push that reaches no device."""
        errors: Errors = {}
        if user_input is not None:
            data, errors = _entry_data(user_input, ENTRY_TYPE_SCOROCODE)
            if not errors:
                await self.async_set_unique_id(data[CONF_APP_ID])
                self._abort_if_unique_id_configured()
                errors = await self._async_check(data)
            if not errors:
                return self.async_create_entry(title=scorocode_title(data), data=data)
        return self._form("scorocode", SCOROCODE_SCHEMA, user_input, errors)

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - the entry itself is read
    ) -> ConfigFlowResult:
        """The service refused the stored credentials: each kind of entry has its own form."""
        if self._get_reauth_entry().data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE:
            return await self.async_step_reauth_scorocode()
        return await self.async_step_reauth_gateway()

    async def async_step_reauth_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask a jsonGate account for a new password or token.

        The entry stays the same entry (its entities and history with it): its login,
        the name of its account, is not on this form and can't change. A token that
        another entry already uses belongs to another account (`wrong_account`).
        """
        entry = self._get_reauth_entry()
        errors: Errors = {}
        if user_input is not None:
            updates = _clean(user_input)
            if CONF_API_TOKEN not in updates:
                # A password alone means: stop using the token that was refused.
                updates[CONF_API_TOKEN] = ""
            data = {**entry.data, **updates}
            if self._entry_with_token(data, entry) is not None:
                return self.async_abort(reason="wrong_account")
            if not (
                updates[CONF_API_TOKEN] or (data.get(CONF_USERNAME) and CONF_PASSWORD in updates)
            ):
                errors = {"base": "missing_credentials"}
            else:
                errors = await self._async_check(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates=updates, reason="reauth_successful"
                )
        schema = GATEWAY_REAUTH_SCHEMA if gateway_login(entry.data) else TOKEN_REAUTH_SCHEMA
        return self._form(STEP_REAUTH_GATEWAY, schema, None, errors, {"account": entry.title})

    async def async_step_reauth_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask a Scorocode application for its new keys or session.

        Any of them may have been refused (an expired session most often), so each can
        be given; one left blank keeps its stored value. The app id, which names the
        application, is not on this form.
        """
        entry = self._get_reauth_entry()
        errors: Errors = {}
        if user_input is not None:
            updates = _clean(user_input)
            errors = await self._async_check({**entry.data, **updates})
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates=updates, reason="reauth_successful"
                )
        return self._form(
            STEP_REAUTH_SCOROCODE, SCOROCODE_REAUTH_SCHEMA, None, errors, {"account": entry.title}
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Each kind of entry has its own form (and texts)."""
        if self._get_reconfigure_entry().data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE:
            return await self.async_step_reconfigure_scorocode(user_input)
        return await self.async_step_reconfigure_gateway(user_input)

    async def async_step_reconfigure_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address, password, token or TLS check of the same jsonGate account.

        The login names the account: left blank it is kept, another one is refused
        (`wrong_account`), as is a token another entry uses. A new address changes the
        host part of the unique id, unless another entry already has that account.
        """
        return await self._async_reconfigure(
            step_id=STEP_RECONFIGURE_GATEWAY, user_input=user_input
        )

    async def async_step_reconfigure_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or keys of the same Scorocode application (its app id)."""
        return await self._async_reconfigure(
            step_id=STEP_RECONFIGURE_SCOROCODE, user_input=user_input
        )

    async def _async_reconfigure(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """The same entry with new data; secrets left blank keep their stored value."""
        entry = self._get_reconfigure_entry()
        scorocode = step_id == STEP_RECONFIGURE_SCOROCODE
        errors: Errors = {}
        if user_input is not None:
            secrets = SCOROCODE_SECRETS if scorocode else GATEWAY_SECRETS
            merged = {key: entry.data[key] for key in secrets if entry.data.get(key)}
            merged |= _clean(user_input)
            if scorocode:
                data, errors = _entry_data(merged, ENTRY_TYPE_SCOROCODE)
                if data.get(CONF_APP_ID) != entry.data.get(CONF_APP_ID):
                    return self.async_abort(reason="wrong_account")
                unique_id, title = entry.unique_id, entry.title
            else:
                merged.setdefault(CONF_USERNAME, entry.data.get(CONF_USERNAME) or "")
                data, errors = _entry_data(merged, ENTRY_TYPE_GATEWAY)
                login = gateway_login(data)
                other = self._entry_with_token(data, entry)
                if login != gateway_login(entry.data) or other is not None:
                    return self.async_abort(reason="wrong_account")
                # A token-only entry keeps the id it was added with: a token can be rotated.
                unique_id = gateway_unique_id(data) if login else entry.unique_id
                if not errors and self._another_entry_has(unique_id, entry):
                    return self.async_abort(reason="already_configured")
                # A title the user has not renamed follows a new provider.
                renamed = entry.title != gateway_title(entry.data)
                title = entry.title if renamed else gateway_title(data)
            if not errors:
                errors = await self._async_check(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    title=title,
                    data=data,
                    reason="reconfigure_successful",
                )
        return self._form(
            step_id,
            SCOROCODE_RECONFIGURE_SCHEMA if scorocode else GATEWAY_SCHEMA,
            user_input or _without_secrets(entry.data),
            errors,
            {"account": entry.title},
        )

    def _another_entry_has(self, unique_id: str | None, this: ConfigEntry) -> bool:
        other = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id or "")
        return other is not None and other.entry_id != this.entry_id

    def _entry_with_token(
        self, data: Mapping[str, Any], this: ConfigEntry | None = None
    ) -> ConfigEntry | None:
        """Another jsonGate entry already using `data`'s token: the token names its account.

        Compared with each entry's current token, so an account whose token was rotated
        is still found.
        """
        token = data.get(CONF_API_TOKEN)
        if not token:
            return None
        this_id = this.entry_id if this is not None else None
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != this_id and other.data.get(CONF_API_TOKEN) == token:
                return other
        return None

    async def _async_check(self, data: Mapping[str, Any]) -> Errors:
        """Errors of a request made with `data`: `balance` or a push to no device."""
        session = async_get_clientsession(self.hass, data.get(CONF_VERIFY_SSL, True))
        try:
            if data[CONF_ENTRY_TYPE] == ENTRY_TYPE_SCOROCODE:
                await async_check_scorocode(scorocode_client(session, data))
            else:
                await gateway_client(session, data).get_balance()
        except GatewayError as err:
            _LOGGER.debug("Checking the connection failed: %s", err)
            key, placeholders = error_translation(err)
            self._placeholders.update(placeholders)
            return {"base": key}
        except Exception:
            # Anything else is a bug or a server nobody foresaw: the form says "unknown"
            # (as Home Assistant's own flows do) instead of crashing, and the log has it.
            _LOGGER.exception("Unexpected error while checking the connection")
            return {"base": "unknown"}
        return {}

    def _form(
        self,
        step_id: str,
        schema: vol.Schema,
        suggested: Mapping[str, Any] | None,
        errors: Errors,
        placeholders: Mapping[str, str] | None = None,
    ) -> ConfigFlowResult:
        # Secrets are never put back into a form, even after an error.
        shown = _without_secrets(suggested or {})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, shown),
            errors=errors,
            description_placeholders={
                "gateway_text": "",
                "example_url": EXAMPLE_PROVIDER_URL,
                **(placeholders or {}),
                **self._placeholders,
            },
        )


class JsonGateOptionsFlow(OptionsFlowWithReload):
    """A jsonGate account's options: delivery reports and the daily SMS limit.

    How often the account is polled is the integration's choice, not an option (Home
    Assistant's `appropriate-polling` rule): other timing is made by turning polling off
    in the entry's system options and calling `homeassistant.update_entity`.

    The entry reloads with changed options. Subentries change without a reload (the
    notify platform follows them), so the integration has no update listener.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the options; the entry reloads with them.

        The limit's bounds are checked here, not by its selector, whose refusal would
        be an untranslated "Value … is too large".
        """
        errors: Errors = {}
        if user_input is not None:
            limit = user_input[CONF_DAILY_SMS_LIMIT]
            if limit != int(limit) or not 0 <= limit <= MAX_DAILY_SMS_LIMIT:
                errors[CONF_DAILY_SMS_LIMIT] = "invalid_daily_sms_limit"
            else:
                return self.async_create_entry(
                    data={
                        CONF_DELIVERY_REPORTS: user_input[CONF_DELIVERY_REPORTS],
                        CONF_DAILY_SMS_LIMIT: int(limit),
                    }
                )
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_DELIVERY_REPORTS, default=options.get(CONF_DELIVERY_REPORTS, True)
                ): BooleanSelector(),
                vol.Required(
                    CONF_DAILY_SMS_LIMIT,
                    default=options.get(CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT),
                ): NumberSelector(NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX)),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders={"max_limit": str(MAX_DAILY_SMS_LIMIT)},
        )
