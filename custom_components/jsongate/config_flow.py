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
# A bound for typos, far above any household's needs.
MAX_DAILY_SMS_LIMIT = 100_000
_TEXT = TextSelector()
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
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
        vol.Required(CONF_URL, default=DEFAULT_SCOROCODE_URL): _URL,
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
    {vol.Optional(key): _SECRET for key in (CONF_ACCESS_KEY, CONF_SESSION_ID, CONF_CLIENT_KEY)}
)
# Secrets are never shown back; left blank in a reconfigure, the stored one is kept.
GATEWAY_SECRETS = (CONF_PASSWORD, CONF_API_TOKEN)
SCOROCODE_SECRETS = (CONF_CLIENT_KEY, CONF_ACCESS_KEY, CONF_SESSION_ID)
SCOROCODE_RECONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): _URL,
        vol.Required(CONF_APP_ID): _TEXT,
        **{vol.Optional(key): _SECRET for key in SCOROCODE_SECRETS},
    }
)

type Errors = dict[str, str]
type Data = Mapping[str, Any]


def _is_scorocode(data: Data) -> bool:
    """Whether an entry's data, or a form's before there is an entry, is a Scorocode app's."""
    return data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE


def _identity(data: Data) -> str | None:
    """What names the account (its login) or the application (its id): it never changes."""
    return data.get(CONF_APP_ID) if _is_scorocode(data) else gateway_login(data)


def _unique_id(data: Data) -> str:
    return str(data[CONF_APP_ID]) if _is_scorocode(data) else gateway_unique_id(data)


def _title(data: Data) -> str:
    return scorocode_title(data) if _is_scorocode(data) else gateway_title(data)


def _clean(user_input: Data) -> dict[str, Any]:
    """Stripped texts; blank optional texts dropped."""
    stripped = {key: v.strip() if isinstance(v, str) else v for key, v in user_input.items()}
    return {key: value for key, value in stripped.items() if value != ""}


def _entry_data(user_input: Data, entry_type: str) -> tuple[dict[str, Any], Errors]:
    """Entry data from the form of an `entry_type` entry, and the form's errors."""
    data = _clean(user_input) | {CONF_ENTRY_TYPE: entry_type}
    data[CONF_URL] = data.get(CONF_URL, "").rstrip("/")
    url = URL(data[CONF_URL])
    if url.scheme not in ("http", "https") or not url.host:
        return data, {CONF_URL: "invalid_url"}
    if entry_type == ENTRY_TYPE_SCOROCODE:
        return data, {}
    data.setdefault(CONF_VERIFY_SSL, True)
    if not (data.get(CONF_USERNAME) and data.get(CONF_PASSWORD)) and not data.get(CONF_API_TOKEN):
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
        if _is_scorocode(config_entry.data):
            return {SUBENTRY_AUDIENCE: AudienceSubentryFlowHandler}
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlowHandler}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only a jsonGate account is polled, so only it has options."""
        return not _is_scorocode(config_entry.data)

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
        return await self._async_add(user_input, GATEWAY_SCHEMA, step_id=ENTRY_TYPE_GATEWAY)

    async def async_step_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a Scorocode application, checked with a push that reaches no device."""
        return await self._async_add(user_input, SCOROCODE_SCHEMA, step_id=ENTRY_TYPE_SCOROCODE)

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - the entry itself is read
    ) -> ConfigFlowResult:
        """The service refused the stored credentials: each kind of entry has its own form."""
        if _is_scorocode(self._get_reauth_entry().data):
            return await self.async_step_reauth_scorocode()
        return await self.async_step_reauth_gateway()

    async def async_step_reauth_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask a jsonGate account for a new password or token (not its login, its name)."""
        login = gateway_login(self._get_reauth_entry().data)
        schema = GATEWAY_REAUTH_SCHEMA if login else TOKEN_REAUTH_SCHEMA
        return await self._async_reauth(user_input, schema, step_id="reauth_gateway")

    async def async_step_reauth_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask a Scorocode application for any of its keys or session (most often expired)."""
        schema = SCOROCODE_REAUTH_SCHEMA
        return await self._async_reauth(user_input, schema, step_id="reauth_scorocode")

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Each kind of entry has its own form (and texts)."""
        if _is_scorocode(self._get_reconfigure_entry().data):
            return await self.async_step_reconfigure_scorocode(user_input)
        return await self.async_step_reconfigure_gateway(user_input)

    async def async_step_reconfigure_gateway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address, password, token or TLS check of the same jsonGate account."""
        schema = GATEWAY_SCHEMA
        return await self._async_reconfigure(user_input, schema, step_id="reconfigure_gateway")

    async def async_step_reconfigure_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or keys of the same Scorocode application."""
        schema = SCOROCODE_RECONFIGURE_SCHEMA
        return await self._async_reconfigure(user_input, schema, step_id="reconfigure_scorocode")

    async def _async_add(
        self, user_input: Data | None, schema: vol.Schema, *, step_id: str
    ) -> ConfigFlowResult:
        """Add an entry of the kind the step is named after, once a request with it works."""
        errors: Errors = {}
        if user_input is not None:
            data, errors = _entry_data(user_input, step_id)
            if not errors:
                await self.async_set_unique_id(_unique_id(data))
                self._abort_if_unique_id_configured()
                if self._token_used_elsewhere(data):
                    return self.async_abort(reason="already_configured")
                errors = await self._async_check(data)
            if not errors:
                options = {} if _is_scorocode(data) else {CONF_DELIVERY_REPORTS: True}
                return self.async_create_entry(title=_title(data), data=data, options=options)
        return self._form(step_id, schema, user_input, errors)

    async def _async_reauth(
        self, user_input: Data | None, schema: vol.Schema, *, step_id: str
    ) -> ConfigFlowResult:
        """The same entry with the credentials given; those left blank keep their stored value.

        A token another entry uses belongs to another account (`wrong_account`).
        """
        entry = self._get_reauth_entry()
        errors: Errors = {}
        if user_input is not None:
            updates = _clean(user_input)
            if not _is_scorocode(entry.data):
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
        return self._form(step_id, schema, None, errors, {"account": entry.title})

    async def _async_reconfigure(
        self, user_input: Data | None, schema: vol.Schema, *, step_id: str
    ) -> ConfigFlowResult:
        """The same entry with new data; secrets (and a login) left blank keep their value.

        Another login or app id, or a token another entry uses, is `wrong_account`. A new
        address changes the host part of a jsonGate account's unique id, unless another
        entry already has that account.
        """
        entry = self._get_reconfigure_entry()
        errors: Errors = {}
        if user_input is not None:
            scorocode = _is_scorocode(entry.data)
            kept = SCOROCODE_SECRETS if scorocode else (CONF_USERNAME, *GATEWAY_SECRETS)
            data = {key: entry.data[key] for key in kept if entry.data.get(key)}
            data, errors = _entry_data(data | _clean(user_input), entry.data[CONF_ENTRY_TYPE])
            identity = _identity(data)
            if identity != _identity(entry.data) or self._token_used_elsewhere(data, entry):
                return self.async_abort(reason="wrong_account")
            # A token-only entry keeps the id it was added with: a token can be rotated.
            unique_id = _unique_id(data) if identity else entry.unique_id
            other = self.hass.config_entries.async_entry_for_domain_unique_id(
                DOMAIN, unique_id or ""
            )
            if not errors and other not in (None, entry):
                return self.async_abort(reason="already_configured")
            errors = errors or await self._async_check(data)
            if not errors:
                # A title the user has not renamed follows a new provider.
                renamed = entry.title != _title(entry.data)
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    title=entry.title if renamed else _title(data),
                    data=data,
                    reason="reconfigure_successful",
                )
        suggested = user_input or entry.data
        return self._form(step_id, schema, suggested, errors, {"account": entry.title})

    def _token_used_elsewhere(self, data: Data, this: ConfigEntry | None = None) -> bool:
        """Whether another entry uses `data`'s token: a token names its account.

        Each entry's current token, so an account whose token was rotated is still found.
        """
        token = data.get(CONF_API_TOKEN)
        return bool(token) and any(
            other is not this and other.data.get(CONF_API_TOKEN) == token
            for other in self._async_current_entries(include_ignore=False)
        )

    async def _async_check(self, data: Data) -> Errors:
        """Errors of a request made with `data`: `balance` or a push to no device."""
        session = async_get_clientsession(self.hass, data.get(CONF_VERIFY_SSL, True))
        try:
            if _is_scorocode(data):
                await async_check_scorocode(scorocode_client(session, data))
            else:
                await gateway_client(session, data).get_balance()
        except GatewayError as err:
            _LOGGER.debug("Checking the connection failed: %s", err)
            key, self._error_placeholders = error_translation(err)
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
        suggested: Data | None,
        errors: Errors,
        placeholders: Mapping[str, str] | None = None,
    ) -> ConfigFlowResult:
        # Secrets are never put back into a form, even after an error.
        secrets = (*GATEWAY_SECRETS, *SCOROCODE_SECRETS)
        shown = {key: value for key, value in (suggested or {}).items() if key not in secrets}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, shown),
            errors=errors,
            description_placeholders={
                "gateway_text": "",
                "example_url": EXAMPLE_PROVIDER_URL,
                **(placeholders or {}),
                **self._error_placeholders,
            },
        )


class JsonGateOptionsFlow(OptionsFlowWithReload):
    """A jsonGate account's options: delivery reports and the daily SMS limit; saved, it reloads.

    Polling is the integration's choice (`appropriate-polling`): other timing is made by
    turning it off in system options and calling `homeassistant.update_entity`. Subentries
    change without a reload (notify follows them), so there is no update listener.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the options.

        The limit's bounds are checked here, not by its selector, whose refusal would
        be an untranslated "Value … is too large".
        """
        errors: Errors = {}
        if user_input is not None:
            limit = user_input[CONF_DAILY_SMS_LIMIT]
            if limit == int(limit) and 0 <= limit <= MAX_DAILY_SMS_LIMIT:
                return self.async_create_entry(
                    data={**user_input, CONF_DAILY_SMS_LIMIT: int(limit)}
                )
            errors[CONF_DAILY_SMS_LIMIT] = "invalid_daily_sms_limit"
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
