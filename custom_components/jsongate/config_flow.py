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
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    UnitOfTime,
)
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

from .api import (
    DEFAULT_SCOROCODE_URL,
    AccountBlockedError,
    AuthenticationError,
    GatewayError,
    RequestRefusedError,
)
from .clients import (
    async_check_scorocode,
    gateway_client,
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
    CONF_SCAN_INTERVAL,
    CONF_SESSION_ID,
    DEFAULT_DAILY_SMS_LIMIT,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
    ENTRY_TYPE_SCOROCODE,
    KNOWN_PROVIDERS,
    MIN_SCAN_INTERVAL,
    SUBENTRY_AUDIENCE,
    SUBENTRY_RECIPIENT,
)
from .subentry_flow import AudienceSubentryFlowHandler, RecipientSubentryFlowHandler

if TYPE_CHECKING:
    from collections.abc import Mapping

_LOGGER = logging.getLogger(__name__)

MAX_SCAN_INTERVAL = 3600
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
SCOROCODE_REAUTH_SCHEMA = vol.Schema(
    {vol.Required(CONF_ACCESS_KEY): _SECRET, vol.Optional(CONF_SESSION_ID): _SECRET}
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


def _url_error(url: str) -> str | None:
    parsed = URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return "invalid_url"
    return None


def _gateway_data(user_input: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Entry data from the gateway form, or the form's errors."""
    data = _clean(user_input)
    data[CONF_URL] = data.get(CONF_URL, "").rstrip("/")
    data[CONF_ENTRY_TYPE] = ENTRY_TYPE_GATEWAY
    data.setdefault(CONF_VERIFY_SSL, True)
    if error := _url_error(data[CONF_URL]):
        return data, {CONF_URL: error}
    has_login = bool(data.get(CONF_USERNAME) and data.get(CONF_PASSWORD))
    if not has_login and not data.get(CONF_API_TOKEN):
        return data, {"base": "missing_credentials"}
    return data, {}


def _scorocode_data(user_input: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Entry data from the Scorocode form, or the form's errors."""
    data = _clean(user_input)
    data[CONF_URL] = data.get(CONF_URL, "").rstrip("/")
    data[CONF_ENTRY_TYPE] = ENTRY_TYPE_SCOROCODE
    if error := _url_error(data[CONF_URL]):
        return data, {CONF_URL: error}
    return data, {}


class JsonGateConfigFlow(ConfigFlow, domain=DOMAIN):
    """Adds a jsonGate account or a Scorocode application."""

    VERSION = 1
    MINOR_VERSION = 1

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
        """Polling options of a jsonGate account."""
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
            data, errors = _gateway_data(user_input)
            if not errors:
                await self.async_set_unique_id(gateway_unique_id(data))
                self._abort_if_unique_id_configured()
                errors = await self._async_check(data)
            if not errors:
                return self.async_create_entry(
                    title=gateway_title(data),
                    data=data,
                    options={
                        CONF_SCAN_INTERVAL: int(DEFAULT_SCAN_INTERVAL.total_seconds()),
                        CONF_DELIVERY_REPORTS: True,
                    },
                )
        return self._form("gateway", GATEWAY_SCHEMA, user_input, errors)

    async def async_step_scorocode(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a Scorocode application, checked with a push that reaches no device."""
        errors: Errors = {}
        if user_input is not None:
            data, errors = _scorocode_data(user_input)
            if not errors:
                await self.async_set_unique_id(data[CONF_APP_ID])
                self._abort_if_unique_id_configured()
                errors = await self._async_check(data)
            if not errors:
                return self.async_create_entry(title=scorocode_title(data), data=data)
        return self._form("scorocode", SCOROCODE_SCHEMA, user_input, errors)

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - the entry is read in the next step
    ) -> ConfigFlowResult:
        """The gateway refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new password or token (jsonGate) or access key (Scorocode)."""
        entry = self._get_reauth_entry()
        scorocode = entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE
        errors: Errors = {}
        if user_input is not None:
            updates = _clean(user_input)
            if scorocode:
                # A new access key may come without a session (the master key needs none).
                updates.setdefault(CONF_SESSION_ID, "")
            elif CONF_API_TOKEN not in updates:
                # A password alone means: stop using the token that was refused.
                updates[CONF_API_TOKEN] = ""
            data = {**entry.data, **updates}
            if not scorocode and not (
                updates[CONF_API_TOKEN] or (data.get(CONF_USERNAME) and CONF_PASSWORD in updates)
            ):
                errors = {"base": "missing_credentials"}
            else:
                errors = await self._async_check(data)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self._form(
            "reauth_confirm",
            SCOROCODE_REAUTH_SCHEMA if scorocode else GATEWAY_REAUTH_SCHEMA,
            None,
            errors,
            {"account": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, credentials or TLS check of the same account or application."""
        entry = self._get_reconfigure_entry()
        scorocode = entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE
        secrets = SCOROCODE_SECRETS if scorocode else GATEWAY_SECRETS
        errors: Errors = {}
        if user_input is not None:
            kept = {key: entry.data[key] for key in secrets if entry.data.get(key)}
            merged = {**kept, **_clean(user_input)}
            data, errors = _scorocode_data(merged) if scorocode else _gateway_data(merged)
            if not errors:
                unique_id = data[CONF_APP_ID] if scorocode else gateway_unique_id(data)
                await self.async_set_unique_id(unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                errors = await self._async_check(data)
            if not errors:
                return self.async_update_reload_and_abort(entry, data=data)
        suggested = {key: value for key, value in entry.data.items() if key not in secrets}
        return self._form(
            "reconfigure",
            SCOROCODE_RECONFIGURE_SCHEMA if scorocode else GATEWAY_SCHEMA,
            user_input or suggested,
            errors,
            {"account": entry.title},
        )

    async def _async_check(self, data: Mapping[str, Any]) -> Errors:
        """Errors of a request made with `data`: `balance` or a push to no device."""
        session = async_get_clientsession(self.hass, data.get(CONF_VERIFY_SSL, True))
        try:
            if data[CONF_ENTRY_TYPE] == ENTRY_TYPE_SCOROCODE:
                await async_check_scorocode(scorocode_client(session, data))
            else:
                await gateway_client(session, data).get_balance()
        except AuthenticationError:
            return {"base": "invalid_auth"}
        except AccountBlockedError:
            return {"base": "account_blocked"}
        except RequestRefusedError as err:
            self._placeholders["gateway_text"] = err.gateway_text
            return {"base": "refused"}
        except GatewayError as err:
            _LOGGER.debug("Checking the connection failed: %s", err)
            return {"base": "cannot_connect"}
        except Exception:
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
        shown = {
            key: value
            for key, value in (suggested or {}).items()
            if key not in (*GATEWAY_SECRETS, *SCOROCODE_SECRETS)
        }
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, shown),
            errors=errors,
            description_placeholders={
                "gateway_text": "",
                **(placeholders or {}),
                **self._placeholders,
            },
        )


class JsonGateOptionsFlow(OptionsFlowWithReload):
    """The options of a jsonGate account: polling, delivery reports, daily SMS limit.

    The entry reloads with changed options. Subentries change without a reload (the
    notify platform follows them), so the integration has no update listener.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and save the options; the entry reloads with them."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_DELIVERY_REPORTS: user_input[CONF_DELIVERY_REPORTS],
                    CONF_DAILY_SMS_LIMIT: int(user_input[CONF_DAILY_SMS_LIMIT]),
                }
            )
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL,
                    default=options.get(
                        CONF_SCAN_INTERVAL, int(DEFAULT_SCAN_INTERVAL.total_seconds())
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL.total_seconds(),
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        unit_of_measurement=UnitOfTime.SECONDS,
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_DELIVERY_REPORTS, default=options.get(CONF_DELIVERY_REPORTS, True)
                ): BooleanSelector(),
                vol.Required(
                    CONF_DAILY_SMS_LIMIT,
                    default=options.get(CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=0, max=MAX_DAILY_SMS_LIMIT, step=1, mode=NumberSelectorMode.BOX
                    )
                ),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
