"""Constants for the jsonGate SMS & Push integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from homeassistant.const import CONF_PASSWORD

DOMAIN: Final = "jsongate"
CONF_ENTRY_TYPE: Final = "entry_type"
ENTRY_TYPE_GATEWAY: Final = "gateway"
ENTRY_TYPE_SCOROCODE: Final = "scorocode"
CONF_API_TOKEN: Final = "api_token"  # noqa: S105 - a config key, not a secret
CONF_APP_ID: Final = "app_id"
CONF_CLIENT_KEY: Final = "client_key"
CONF_ACCESS_KEY: Final = "access_key"
CONF_SESSION_ID: Final = "session_id"
# Never shown back in a form or in diagnostics.
GATEWAY_SECRETS: Final = (CONF_PASSWORD, CONF_API_TOKEN)
SCOROCODE_SECRETS: Final = (CONF_CLIENT_KEY, CONF_ACCESS_KEY, CONF_SESSION_ID)

# 1.2: one entry per account, and no `scan_interval` option (see `async_migrate_entry`).
CONFIG_ENTRY_VERSION: Final = 1
CONFIG_ENTRY_MINOR_VERSION: Final = 2
CONF_DELIVERY_REPORTS: Final = "delivery_reports"
CONF_DAILY_SMS_LIMIT: Final = "daily_sms_limit"  # SMS parts per local day (0: no limit)
DEFAULT_DAILY_SMS_LIMIT: Final = 100
# Not an option (Home Assistant's `appropriate-polling` rule): incoming SMS show within 30 s.
UPDATE_INTERVAL: Final = timedelta(seconds=20)
DELIVERY_REPORT_MAX_AGE: Final = timedelta(hours=72)  # a send's reports are followed this long

SUBENTRY_RECIPIENT: Final = "recipient"
SUBENTRY_AUDIENCE: Final = "audience"
CONF_PHONE_NUMBERS: Final = "phone_numbers"
CONF_SENDER: Final = "sender"
CONF_TRANSLITERATE: Final = "transliterate"
CONF_CHANNEL: Final = "channel"
CONF_COLLECTION: Final = "collection"
CONF_QUERY: Final = "query"
CHANNEL_PUSH: Final = "push"
CHANNEL_SMS: Final = "sms"

KNOWN_PROVIDERS: Final = {  # offered in the config flow; any URL may be typed
    "https://sms.targetsms.ru": "TargetSMS",
    "https://clk.prontosms.ru": "ProntoSMS",
    "https://lk.pigeon-telecom.ru": "Pigeon Telecom",
}

EVENT_SMS_RECEIVED: Final = "jsongate_sms_received"
EVENT_DELIVERY_REPORT: Final = "jsongate_delivery_report"
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
