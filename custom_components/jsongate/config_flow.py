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
from homeassistant.helpers import selector
from yarl import URL

from . import clients
from .api import DEFAULT_SCOROCODE_URL, GatewayError
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
    GATEWAY_SECRETS,
    KNOWN_PROVIDERS,
    SCOROCODE_SECRETS,
    SUBENTRY_AUDIENCE,
    SUBENTRY_RECIPIENT,
)
from .errors import error_translation
from .subentry_flow import AudienceSubentryFlowHandler, RecipientSubentryFlowHandler

if TYPE_CHECKING:
    from collections.abc import Mapping

_LOGGER = logging.getLogger(__name__)

EXAMPLE_PROVIDER_URL = "https://sms.example.com"  # for the forms' texts, which may hold no URL
MAX_DAILY_SMS_LIMIT = 100_000  # a bound for typos, far above any household's needs

_SECRET = selector.TextSelector({"type": selector.TextSelectorType.PASSWORD})
_SELECTORS: dict[str, selector.Selector[Any]] = {
    CONF_URL: selector.TextSelector({"type": selector.TextSelectorType.URL}),
    CONF_USERNAME: selector.TextSelector(
        {"type": selector.TextSelectorType.TEXT, "autocomplete": "username"}
    ),
    CONF_PASSWORD: selector.TextSelector(
        {"type": selector.TextSelectorType.PASSWORD, "autocomplete": "current-password"}
    ),
    CONF_API_TOKEN: _SECRET,
    CONF_VERIFY_SSL: selector.BooleanSelector(),
    CONF_APP_ID: selector.TextSelector(),
    CONF_CLIENT_KEY: _SECRET,
    CONF_ACCESS_KEY: _SECRET,
    CONF_SESSION_ID: _SECRET,
}
_PROVIDERS = selector.SelectSelector(
    {
        "options": [
            selector.SelectOptionDict(value=url, label=f"{name} ({URL(url).host})")
            for url, name in KNOWN_PROVIDERS.items()
        ],
        "custom_value": True,
        "mode": selector.SelectSelectorMode.DROPDOWN,
    }
)


def _schema(*fields: vol.Marker, url: selector.Selector[Any] = _SELECTORS[CONF_URL]) -> vol.Schema:
    """A form of `fields`, each with its own selector (the URL's given by `url`)."""
    selectors = _SELECTORS | {CONF_URL: url}
    return vol.Schema({field: selectors[field.schema] for field in fields})


GATEWAY_SCHEMA = _schema(
    vol.Required(CONF_URL),
    *map(vol.Optional, (CONF_USERNAME, *GATEWAY_SECRETS)),
    vol.Required(CONF_VERIFY_SSL, default=True),
    url=_PROVIDERS,
)
SCOROCODE_SCHEMA = _schema(
    vol.Required(CONF_URL, default=DEFAULT_SCOROCODE_URL),
    *map(vol.Required, (CONF_APP_ID, CONF_CLIENT_KEY, CONF_ACCESS_KEY)),
    vol.Optional(CONF_SESSION_ID),
)
SCOROCODE_RECONFIGURE_SCHEMA = _schema(
    *map(vol.Required, (CONF_URL, CONF_APP_ID)), *map(vol.Optional, SCOROCODE_SECRETS)
)
GATEWAY_REAUTH_SCHEMA = _schema(*map(vol.Optional, GATEWAY_SECRETS))
# An account added with its token alone has no login a password could go with.
TOKEN_REAUTH_SCHEMA = _schema(vol.Required(CONF_API_TOKEN))
SCOROCODE_REAUTH_SCHEMA = _schema(
    *map(vol.Optional, (CONF_ACCESS_KEY, CONF_SESSION_ID, CONF_CLIENT_KEY))
)

type UserInput = dict[str, Any] | None
type Errors = dict[str, str]
type Data = Mapping[str, Any]


def _clean(user_input: Data) -> dict[str, Any]:
    stripped = {key: v.strip() if isinstance(v, str) else v for key, v in user_input.items()}
    return {key: value for key, value in stripped.items() if value != ""}


def _entry_data(user_input: Data, entry_type: str) -> tuple[dict[str, Any], Errors]:
    """Entry data from the form of an `entry_type` entry, and the form's errors."""
    data = _clean(user_input) | {CONF_ENTRY_TYPE: entry_type}
    data[CONF_URL] = data.get(CONF_URL, "").rstrip("/")
    url = URL(data[CONF_URL])
    if url.scheme not in ("http", "https") or not url.host:
        return data, {CONF_URL: "invalid_url"}
    if entry_type == ENTRY_TYPE_GATEWAY:
        data.setdefault(CONF_VERIFY_SSL, True)
        if not ({CONF_USERNAME, CONF_PASSWORD} <= data.keys() or CONF_API_TOKEN in data):
            return data, {"base": "missing_credentials"}
    return data, {}


class JsonGateConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds a jsonGate account or a Scorocode application."""

    VERSION = CONFIG_ENTRY_VERSION
    MINOR_VERSION = CONFIG_ENTRY_MINOR_VERSION

    # Placeholders of the last failed check's error, such as a refusal's own text.
    _error_placeholders: Mapping[str, str] = {}

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Recipients for a jsonGate account, audiences for a Scorocode application."""
        if clients.is_scorocode(config_entry.data):
            return {SUBENTRY_AUDIENCE: AudienceSubentryFlowHandler}
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlowHandler}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only a jsonGate account is polled, so only it has options."""
        return not clients.is_scorocode(config_entry.data)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:  # noqa: ARG004
        """Options of a jsonGate account."""
        return JsonGateOptionsFlow()

    async def async_step_user(self, user_input: UserInput = None) -> ConfigFlowResult:  # noqa: ARG002
        """Ask which kind of service to add."""
        return self.async_show_menu(
            step_id="user", menu_options=[ENTRY_TYPE_GATEWAY, ENTRY_TYPE_SCOROCODE]
        )

    async def async_step_gateway(self, user_input: UserInput = None) -> ConfigFlowResult:
        """Add a jsonGate account, checked with a `balance` request."""
        return await self._async_add(user_input, GATEWAY_SCHEMA, step_id=ENTRY_TYPE_GATEWAY)

    async def async_step_scorocode(self, user_input: UserInput = None) -> ConfigFlowResult:
        """Add a Scorocode application, checked with a push that reaches no device."""
        return await self._async_add(user_input, SCOROCODE_SCHEMA, step_id=ENTRY_TYPE_SCOROCODE)

    async def async_step_reauth(self, entry_data: Data) -> ConfigFlowResult:  # noqa: ARG002
        """Ask for the credentials the service refused."""
        return await self._async_reauth()

    async def _async_add(
        self, user_input: UserInput, schema: vol.Schema, *, step_id: str
    ) -> ConfigFlowResult:
        """Add an entry of the kind the step is named after, once a request with it works."""
        errors: Errors = {}
        if user_input is not None:
            data, errors = _entry_data(user_input, step_id)
            if not errors:
                await self.async_set_unique_id(clients.entry_unique_id(data))
                self._abort_if_unique_id_configured()
                if self._token_used_elsewhere(data):
                    return self.async_abort(reason="already_configured")
                errors = await self._async_check(data)
            if not errors:
                options = {} if clients.is_scorocode(data) else {CONF_DELIVERY_REPORTS: True}
                title = clients.entry_title(data)
                return self.async_create_entry(title=title, data=data, options=options)
        return self._form(step_id, schema, user_input or {}, errors)

    async def _async_reauth(self, user_input: UserInput = None) -> ConfigFlowResult:
        """Reauthenticate the entry; credentials left blank keep their stored value."""
        entry = self._get_reauth_entry()
        scorocode = clients.is_scorocode(entry.data)
        errors: Errors = {}
        if user_input is not None:
            updates = _clean(user_input)
            if not scorocode:
                errors = {} if updates else {"base": "missing_credentials"}
                # A password alone means: stop using the token that was refused.
                updates.setdefault(CONF_API_TOKEN, "")
            data = {**entry.data, **updates}
            if self._token_used_elsewhere(data, entry):
                return self.async_abort(reason="wrong_account")
            errors = errors or await self._async_check(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates=updates, reason="reauth_successful"
                )
        if scorocode:
            return self._form("reauth_scorocode", SCOROCODE_REAUTH_SCHEMA, {}, errors, entry.title)
        # Never the login: it names the account.
        login = clients.entry_identity(entry.data)
        schema = GATEWAY_REAUTH_SCHEMA if login else TOKEN_REAUTH_SCHEMA
        return self._form("reauth_gateway", schema, {}, errors, entry.title)

    async def _async_reconfigure(self, user_input: UserInput = None) -> ConfigFlowResult:
        """Change the entry's address or credentials (not its account); blank secrets are kept."""
        entry = self._get_reconfigure_entry()
        scorocode = clients.is_scorocode(entry.data)
        errors: Errors = {}
        if user_input is not None:
            kept = SCOROCODE_SECRETS if scorocode else (CONF_USERNAME, *GATEWAY_SECRETS)
            data = {key: entry.data[key] for key in kept if entry.data.get(key)}
            data, errors = _entry_data(data | _clean(user_input), entry.data[CONF_ENTRY_TYPE])
            identity = clients.entry_identity(data)
            other_account = identity != clients.entry_identity(entry.data)
            if other_account or self._token_used_elsewhere(data, entry):
                return self.async_abort(reason="wrong_account")
            # A token-only entry keeps the id it was added with: a token can be rotated.
            unique_id = clients.entry_unique_id(data) if identity else entry.unique_id
            other = self.hass.config_entries.async_entry_for_domain_unique_id(
                DOMAIN, unique_id or ""
            )
            if not errors and other not in (None, entry):
                return self.async_abort(reason="already_configured")
            errors = errors or await self._async_check(data)
            if not errors:
                # A title the user has not renamed follows a new provider.
                renamed = entry.title != clients.entry_title(entry.data)
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    title=entry.title if renamed else clients.entry_title(data),
                    data=data,
                    reason="reconfigure_successful",
                )
        suggested = user_input or entry.data
        if scorocode:
            schema = SCOROCODE_RECONFIGURE_SCHEMA
            return self._form("reconfigure_scorocode", schema, suggested, errors, entry.title)
        return self._form("reconfigure_gateway", GATEWAY_SCHEMA, suggested, errors, entry.title)

    # Each kind of entry has its own forms (and texts); the entry says which.
    async_step_reauth_gateway = async_step_reauth_scorocode = _async_reauth
    async_step_reconfigure = _async_reconfigure
    async_step_reconfigure_gateway = async_step_reconfigure_scorocode = _async_reconfigure

    def _token_used_elsewhere(self, data: Data, this: ConfigEntry | None = None) -> bool:
        """Whether another entry's current token is `data`'s: a token names its account."""
        token = data.get(CONF_API_TOKEN)
        return bool(token) and any(
            other is not this and other.data.get(CONF_API_TOKEN) == token
            for other in self._async_current_entries(include_ignore=False)
        )

    async def _async_check(self, data: Data) -> Errors:
        """Errors of a request made with `data`: `balance` or a push to no device."""
        try:
            if clients.is_scorocode(data):
                await clients.async_check_scorocode(clients.scorocode_client(self.hass, data))
            else:
                await clients.gateway_client(self.hass, data).get_balance()
        except GatewayError as err:
            _LOGGER.debug("Checking the connection failed: %s", err)
            key, self._error_placeholders = error_translation(err)
            return {"base": key}
        except Exception:
            # A bug or a server nobody foresaw: the form says "unknown", the log has it.
            _LOGGER.exception("Unexpected error while checking the connection")
            return {"base": "unknown"}
        return {}

    def _form(
        self, step_id: str, schema: vol.Schema, suggested: Data, errors: Errors, account: str = ""
    ) -> ConfigFlowResult:
        """The step's form; secrets are never put back into it, even after an error."""
        secrets = (*GATEWAY_SECRETS, *SCOROCODE_SECRETS)
        shown = {key: value for key, value in suggested.items() if key not in secrets}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, shown),
            errors=errors,
            description_placeholders={
                "account": account,
                "example_url": EXAMPLE_PROVIDER_URL,
                **self._error_placeholders,
            },
        )


class JsonGateOptionsFlow(OptionsFlowWithReload):
    """A jsonGate account's options: delivery reports and the daily SMS limit; saved, it reloads."""

    async def async_step_init(self, user_input: UserInput = None) -> ConfigFlowResult:
        """Show and save the options (the limit's bounds here: a selector's error is English)."""
        errors: Errors = {}
        if user_input is not None:
            limit = user_input[CONF_DAILY_SMS_LIMIT]
            if limit == int(limit) and 0 <= limit <= MAX_DAILY_SMS_LIMIT:
                user_input[CONF_DAILY_SMS_LIMIT] = int(limit)
                return self.async_create_entry(data=user_input)
            errors[CONF_DAILY_SMS_LIMIT] = "invalid_daily_sms_limit"
        options = self.config_entry.options
        reports = options.get(CONF_DELIVERY_REPORTS, True)
        daily = options.get(CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT)
        schema = vol.Schema(
            {
                vol.Required(CONF_DELIVERY_REPORTS, default=reports): selector.BooleanSelector(),
                vol.Required(CONF_DAILY_SMS_LIMIT, default=daily): selector.NumberSelector(
                    {"step": 1, "mode": selector.NumberSelectorMode.BOX}
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders={"max_limit": str(MAX_DAILY_SMS_LIMIT)},
        )
