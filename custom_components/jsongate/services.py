"""The integration's actions: sending SMS and push, and every other jsonGate operation.

Each action names its config entry (`config_entry_id`). Input is checked here, before
anything is sent, and refused with a translated `ServiceValidationError`; what the
gateway refuses becomes a translated `HomeAssistantError` (see `action_errors`).
Send actions return their results when asked (`SupportsResponse.OPTIONAL`), the
read-only ones always do (`SupportsResponse.ONLY`); responses are made in `responses`.
"""

from __future__ import annotations

from copy import replace
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import service
from homeassistant.util import dt as dt_util

from .action_errors import translated_errors
from .api import (
    Abonent,
    Collection,
    Contact,
    ContactListUpdate,
    DeliveryStatus,
    Gender,
    InvalidPhoneNumberError,
    InvalidSenderError,
    MessageType,
    OutgoingMessage,
    StatisticsQuery,
    TemplateUpdate,
    checked_message,
    normalize_phone,
    validate_sender,
)
from .api.record import Record
from .api.scorocode import SMS_COLLECTIONS, parse_json_object
from .api.sms_text import estimate_parts
from .const import (
    ATTR_CONFIG_ENTRY_ID,
    CONF_ENTRY_TYPE,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
    ENTRY_TYPE_SCOROCODE,
)
from .data import GatewayRuntimeData, ScorocodeRuntimeData
from .responses import (
    as_json,
    as_json_object,
    async_sms_response,
    enum_name,
    gateway_time_response,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterable, Mapping
    from datetime import datetime

    from .api import JsonGateClient
    from .data import JsonGateConfigEntry

# --- action names ----------------------------------------------------------------------

SERVICE_SEND_SMS: Final = "send_sms"
SERVICE_GET_DELIVERY_STATUS: Final = "get_delivery_status"
SERVICE_SEND_PUSH: Final = "send_push"
SERVICE_SEND_APP_SMS: Final = "send_app_sms"
SERVICE_GET_SENDERS: Final = "get_senders"
SERVICE_GET_INCOMING: Final = "get_incoming"
SERVICE_LOOKUP_NUMBERS: Final = "lookup_numbers"
SERVICE_GET_CONTACT_LISTS: Final = "get_contact_lists"
SERVICE_SAVE_CONTACT_LIST: Final = "save_contact_list"
SERVICE_DELETE_CONTACT_LIST: Final = "delete_contact_list"
SERVICE_GET_CONTACTS: Final = "get_contacts"
SERVICE_SAVE_CONTACTS: Final = "save_contacts"
SERVICE_DELETE_CONTACTS: Final = "delete_contacts"
SERVICE_GET_STOP_LIST: Final = "get_stop_list"
SERVICE_UPDATE_STOP_LIST: Final = "update_stop_list"
SERVICE_GET_SCHEDULED: Final = "get_scheduled"
SERVICE_CANCEL_SCHEDULED: Final = "cancel_scheduled"
SERVICE_GET_GATEWAY_TIME: Final = "get_gateway_time"
SERVICE_GET_STATISTICS: Final = "get_statistics"
SERVICE_GET_TEMPLATES: Final = "get_templates"
SERVICE_SAVE_TEMPLATE: Final = "save_template"
SERVICE_DELETE_TEMPLATE: Final = "delete_template"

# --- fields ----------------------------------------------------------------------------

ATTR_RECIPIENTS: Final = "recipients"
ATTR_MESSAGE: Final = "message"
ATTR_TITLE: Final = "title"
ATTR_SENDER: Final = "sender"
ATTR_TRANSLITERATE: Final = "transliterate"
ATTR_SEND_AT: Final = "send_at"
ATTR_VALID_UNTIL: Final = "valid_until"
ATTR_MESSAGE_TYPE: Final = "message_type"
ATTR_URL: Final = "url"
ATTR_MESSAGE_IDS: Final = "message_ids"
ATTR_COLLECTION: Final = "collection"
ATTR_QUERY: Final = "query"
ATTR_DATA: Final = "data"
ATTR_DEBUG: Final = "debug"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_PHONES: Final = "phones"
ATTR_CONTACT_LIST_ID: Final = "contact_list_id"
ATTR_NAME: Final = "name"
ATTR_GREETING_ENABLED: Final = "greeting_enabled"
ATTR_GREETING_TIME: Final = "greeting_time"
ATTR_GREETING_IN_LOCAL_TIME: Final = "greeting_in_local_time"
ATTR_GREETING_DAYS_BEFORE: Final = "greeting_days_before"
ATTR_GREETING_SENDER: Final = "greeting_sender"
ATTR_GREETING_TEXT: Final = "greeting_text"
ATTR_PAGE: Final = "page"
ATTR_UPDATED_SINCE: Final = "updated_since"
ATTR_CONTACTS: Final = "contacts"
ATTR_ADD: Final = "add"
ATTR_REMOVE: Final = "remove"
ATTR_DATE_FROM: Final = "date_from"
ATTR_DATE_TO: Final = "date_to"
ATTR_FROM_TIME: Final = "from_time"
ATTR_TO_TIME: Final = "to_time"
ATTR_STATUS: Final = "status"
ATTR_PHONE: Final = "phone"
ATTR_OPERATOR: Final = "operator"
ATTR_TEMPLATE_ID: Final = "template_id"
ATTR_TEXT: Final = "text"

SEND_MESSAGE_TYPES: Final = [MessageType.SMS, MessageType.FLASH_SMS, MessageType.WAP_PUSH]
STATUS_BY_NAME: Final = {enum_name(status): status for status in DeliveryStatus}

# --- schemas ---------------------------------------------------------------------------
# Schemas check types only: the checks users can get wrong (a bad phone, an empty text,
# a time in the past) are made in the handlers, with translated messages.

_ENTRY_ID = vol.Required(ATTR_CONFIG_ENTRY_ID)
_STRINGS = vol.All(cv.ensure_list, [cv.string])
_NO_FIELDS_SCHEMA = vol.Schema({_ENTRY_ID: cv.string})

SEND_SMS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_RECIPIENTS): _STRINGS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_SENDER): cv.string,
        vol.Optional(ATTR_TRANSLITERATE, default=False): cv.boolean,
        vol.Optional(ATTR_SEND_AT): cv.datetime,
        vol.Optional(ATTR_VALID_UNTIL): cv.datetime,
        vol.Optional(ATTR_MESSAGE_TYPE, default=MessageType.SMS.value): vol.In(
            [kind.value for kind in SEND_MESSAGE_TYPES]
        ),
        vol.Optional(ATTR_URL): cv.string,
    }
)
GET_DELIVERY_STATUS_SCHEMA = vol.Schema(
    {_ENTRY_ID: cv.string, vol.Required(ATTR_MESSAGE_IDS): _STRINGS}
)
SEND_PUSH_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
        vol.Optional(ATTR_COLLECTION, default=Collection.DEVICES.value): cv.string,
        vol.Optional(ATTR_QUERY): object,
        vol.Optional(ATTR_DATA): object,
        vol.Optional(ATTR_DEBUG, default=False): cv.boolean,
    }
)
SEND_APP_SMS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_COLLECTION, default=Collection.USERS.value): cv.string,
        vol.Optional(ATTR_QUERY): object,
    }
)
GET_INCOMING_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
    }
)
PHONES_SCHEMA = vol.Schema({_ENTRY_ID: cv.string, vol.Required(ATTR_PHONES): _STRINGS})
SAVE_CONTACT_LIST_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Optional(ATTR_CONTACT_LIST_ID): cv.string,
        vol.Required(ATTR_NAME): cv.string,
        vol.Optional(ATTR_GREETING_ENABLED, default=False): cv.boolean,
        vol.Optional(ATTR_GREETING_TIME): cv.time,
        vol.Optional(ATTR_GREETING_IN_LOCAL_TIME, default=False): cv.boolean,
        vol.Optional(ATTR_GREETING_DAYS_BEFORE, default=0): vol.All(
            vol.Coerce(int), vol.Range(min=0)
        ),
        vol.Optional(ATTR_GREETING_SENDER): cv.string,
        vol.Optional(ATTR_GREETING_TEXT): cv.string,
    }
)
CONTACT_LIST_ID_SCHEMA = vol.Schema(
    {_ENTRY_ID: cv.string, vol.Required(ATTR_CONTACT_LIST_ID): cv.string}
)
GET_CONTACTS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_CONTACT_LIST_ID): cv.string,
        vol.Optional(ATTR_PAGE): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Optional(ATTR_UPDATED_SINCE): cv.datetime,
    }
)
CONTACT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_PHONE): cv.string,
        vol.Optional("name"): cv.string,
        vol.Optional("surname"): cv.string,
        vol.Optional("patronymic"): cv.string,
        vol.Optional("birth_date"): cv.date,
        vol.Optional("gender"): vol.In([gender.value for gender in Gender]),
        vol.Optional("region"): cv.string,
        vol.Optional("operator"): cv.string,
        vol.Optional("extra"): vol.All(
            cv.ensure_list, [vol.Any(None, cv.string)], vol.Length(max=5)
        ),
    }
)
SAVE_CONTACTS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_CONTACT_LIST_ID): cv.string,
        vol.Required(ATTR_CONTACTS): vol.All(cv.ensure_list, [CONTACT_SCHEMA]),
    }
)
DELETE_CONTACTS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Required(ATTR_CONTACT_LIST_ID): cv.string,
        vol.Required(ATTR_PHONES): _STRINGS,
    }
)
UPDATE_STOP_LIST_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Optional(ATTR_ADD, default=list): _STRINGS,
        vol.Optional(ATTR_REMOVE, default=list): _STRINGS,
    }
)
GET_SCHEDULED_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Optional(ATTR_PAGE): vol.All(vol.Coerce(int), vol.Range(min=1)),
    }
)
GET_STATISTICS_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Optional(ATTR_DATE_FROM): cv.date,
        vol.Optional(ATTR_DATE_TO): cv.date,
        vol.Optional(ATTR_FROM_TIME): cv.time,
        vol.Optional(ATTR_TO_TIME): cv.time,
        vol.Optional(ATTR_STATUS): vol.In(list(STATUS_BY_NAME)),
        vol.Optional(ATTR_SENDER): cv.string,
        vol.Optional(ATTR_PHONE): cv.string,
        vol.Optional(ATTR_OPERATOR): cv.string,
    }
)
SAVE_TEMPLATE_SCHEMA = vol.Schema(
    {
        _ENTRY_ID: cv.string,
        vol.Optional(ATTR_TEMPLATE_ID): cv.string,
        vol.Required(ATTR_NAME): cv.string,
        vol.Required(ATTR_TEXT): cv.string,
    }
)
DELETE_TEMPLATE_SCHEMA = vol.Schema(
    {_ENTRY_ID: cv.string, vol.Required(ATTR_TEMPLATE_ID): cv.string}
)


# --- entries, input checks -------------------------------------------------------------


def _validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _entry(call: ServiceCall, entry_type: str) -> JsonGateConfigEntry:
    """The loaded config entry the call names, if it is of `entry_type`."""
    entry: JsonGateConfigEntry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    if entry.data.get(CONF_ENTRY_TYPE) != entry_type:
        raise _validation_error(
            "not_gateway_entry" if entry_type == ENTRY_TYPE_GATEWAY else "not_scorocode_entry",
            entry_title=entry.title,
        )
    return entry


def _gateway(call: ServiceCall) -> tuple[JsonGateConfigEntry, GatewayRuntimeData]:
    entry = _entry(call, ENTRY_TYPE_GATEWAY)
    if not isinstance(entry.runtime_data, GatewayRuntimeData):
        raise TypeError(f"{entry.title} is not a jsonGate account")
    return entry, entry.runtime_data


def _scorocode(call: ServiceCall) -> tuple[JsonGateConfigEntry, ScorocodeRuntimeData]:
    entry = _entry(call, ENTRY_TYPE_SCOROCODE)
    if not isinstance(entry.runtime_data, ScorocodeRuntimeData):
        raise TypeError(f"{entry.title} is not a Scorocode application")
    return entry, entry.runtime_data


def normalized_phones(phones: Iterable[str]) -> list[str]:
    """The numbers as the gateway takes them; refuses all invalid ones at once."""
    valid, invalid = [], []
    for phone in phones:
        try:
            valid.append(normalize_phone(phone))
        except InvalidPhoneNumberError:
            invalid.append(phone)
    if invalid:
        raise _validation_error("invalid_phone", phones=", ".join(invalid))
    if not valid:
        raise _validation_error("no_recipients")
    return valid


def checked_sender(sender: str | None) -> str | None:
    """A sender name the gateway can take, or None for the account's default."""
    if sender is None or not sender.strip():
        return None
    try:
        return validate_sender(sender)
    except InvalidSenderError as error:
        raise _validation_error("invalid_sender", sender=sender) from error


def checked_text(text: str) -> str:
    """A message text that is not empty."""
    if not text.strip():
        raise _validation_error("empty_message")
    return text


def json_object(value: object, field: str) -> dict[str, Any]:
    """A JSON object given as a mapping or as JSON text; refuses anything else."""
    if (parsed := parse_json_object(value)) is None:
        raise _validation_error("not_json_object", field=field)
    return parsed


def _aware(moment: datetime) -> datetime:
    """A time from an action: naive ones are in Home Assistant's time zone."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt_util.get_default_time_zone())
    return moment


async def _gateway_local(client: JsonGateClient, moment: datetime) -> datetime:
    """A time from an action as the gateway's naive local time."""
    return await client.to_gateway_time(_aware(moment))


# --- sending ---------------------------------------------------------------------------


class SmsRequest(Record, kw_only=False):
    """A checked `send_sms` call, ready to be sent."""

    message: OutgoingMessage
    local_parts: int


async def _sms_request(call: ServiceCall, client: JsonGateClient) -> SmsRequest:
    """The checked message of a `send_sms` call (`checked_message`: the one check of a send)."""
    data = call.data
    text = data[ATTR_MESSAGE]
    sender = data.get(ATTR_SENDER)
    transliterated = data[ATTR_TRANSLITERATE]
    message = checked_message(
        OutgoingMessage(
            text=text,
            abonents=tuple(Abonent(phone=phone) for phone in data[ATTR_RECIPIENTS]),
            # A blank sender is the account's default, as when none is given.
            sender=sender if sender and sender.strip() else None,
            message_type=MessageType(data[ATTR_MESSAGE_TYPE]),
            url=data.get(ATTR_URL) or None,
            transliterate=transliterated,
        )
    )
    send_at: datetime | None = data.get(ATTR_SEND_AT)
    valid_until: datetime | None = data.get(ATTR_VALID_UNTIL)
    if send_at is not None or valid_until is not None:
        message = await _scheduled(client, message, send_at, valid_until)
    return SmsRequest(message, estimate_parts(text, transliterate=transliterated))


async def _scheduled(
    client: JsonGateClient,
    message: OutgoingMessage,
    send_at: datetime | None,
    valid_until: datetime | None,
) -> OutgoingMessage:
    """The message with its send time and validity, checked and in the gateway's time."""
    now = dt_util.utcnow()
    if send_at is not None and _aware(send_at) <= now:
        raise _validation_error("send_at_in_past", send_at=send_at.isoformat())
    if valid_until is not None and _aware(valid_until) <= max(
        now, _aware(send_at) if send_at is not None else now
    ):
        raise _validation_error("valid_until_too_early", valid_until=valid_until.isoformat())
    # Converted here, not by the client inside the shared request, so that a failing
    # `time` request fails this call alone.
    local_send_at = await _gateway_local(client, send_at) if send_at else None
    local_valid_until = await _gateway_local(client, valid_until) if valid_until else None
    return replace(
        message,
        abonents=tuple(
            replace(abonent, send_at=local_send_at, valid_until=local_valid_until)
            for abonent in message.abonents
        ),
    )


async def _send_sms(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        request = await _sms_request(call, runtime.client)
        results = await runtime.sender.async_send(request.message, checked=True)
    return await async_sms_response(call.hass, results, request.local_parts)


async def _send_push(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _scorocode(call)
    text = checked_text(call.data[ATTR_MESSAGE])
    collection = _collection(call.data[ATTR_COLLECTION], sms=False)
    query = json_object(call.data.get(ATTR_QUERY), ATTR_QUERY)
    data = json_object(call.data.get(ATTR_DATA), ATTR_DATA)
    with translated_errors(call.hass, entry):
        count = await runtime.client.send_push(
            collection,
            text,
            title=call.data.get(ATTR_TITLE),
            query=query,
            data=data,
            debug=call.data[ATTR_DEBUG],
        )
    return {"count": count}


async def _send_app_sms(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _scorocode(call)
    text = checked_text(call.data[ATTR_MESSAGE])
    collection = _collection(call.data[ATTR_COLLECTION], sms=True)
    query = json_object(call.data.get(ATTR_QUERY), ATTR_QUERY)
    with translated_errors(call.hass, entry):
        count = await runtime.client.send_sms(collection, text, query=query)
    return {"count": count}


def _collection(value: str, *, sms: bool) -> Collection:
    allowed = SMS_COLLECTIONS if sms else frozenset(Collection)
    collection = next((item for item in allowed if item.value == value), None)
    if collection is None:
        raise _validation_error(
            "sms_collection" if sms else "invalid_collection", collection=str(value)
        )
    return collection


# --- reading and changing the account ------------------------------------------------


async def _get_delivery_status(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        states = await runtime.client.get_delivery_states(call.data[ATTR_MESSAGE_IDS])
    return {"statuses": as_json(states, runtime.client.gateway_time)}


async def _get_senders(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        return as_json_object(await runtime.client.get_senders())


async def _get_incoming(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    start: datetime = call.data[ATTR_START]
    end: datetime | None = call.data.get(ATTR_END)
    if end is not None and _aware(end) <= _aware(start):
        raise _validation_error("end_before_start")
    with translated_errors(call.hass, entry):
        client = runtime.client
        local_end = await _gateway_local(client, end) if end is not None else None
        messages = await client.get_incoming(await _gateway_local(client, start), local_end)
    return {"messages": as_json(messages, client.gateway_time)}


async def _lookup_numbers(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    phones = normalized_phones(call.data[ATTR_PHONES])
    with translated_errors(call.hass, entry):
        return {"numbers": as_json(await runtime.client.lookup_numbers(phones))}


async def _get_contact_lists(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        return {"contact_lists": as_json(await runtime.client.get_contact_lists())}


async def _save_contact_list(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    data = call.data
    greeting_time = data.get(ATTR_GREETING_TIME)
    update = ContactListUpdate(
        id=data.get(ATTR_CONTACT_LIST_ID),
        name=data[ATTR_NAME],
        greeting_enabled=data[ATTR_GREETING_ENABLED],
        greeting_time=greeting_time.strftime("%H:%M") if greeting_time else None,
        greeting_in_local_time=data[ATTR_GREETING_IN_LOCAL_TIME],
        greeting_days_before=data[ATTR_GREETING_DAYS_BEFORE],
        greeting_sender=checked_sender(data.get(ATTR_GREETING_SENDER)),
        greeting_text=data.get(ATTR_GREETING_TEXT),
    )
    with translated_errors(call.hass, entry):
        return {"changes": as_json(await runtime.client.save_contact_lists([update]))}


async def _delete_contact_list(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    list_id = call.data[ATTR_CONTACT_LIST_ID]
    with translated_errors(call.hass, entry):
        changes = await runtime.client.save_contact_lists(delete_ids=[list_id])
    return {"changes": as_json(changes)}


async def _get_contacts(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    client = runtime.client
    list_id = call.data[ATTR_CONTACT_LIST_ID]
    page: int | None = call.data.get(ATTR_PAGE)
    since: datetime | None = call.data.get(ATTR_UPDATED_SINCE)
    with translated_errors(call.hass, entry):
        local_since = await _gateway_local(client, since) if since is not None else None
        if page is None:
            contacts = await client.get_all_contacts(list_id, local_since)
            paging: dict[str, Any] = {"page": None, "pages": None}
        else:
            result = await client.get_contacts(list_id, page, local_since)
            contacts, paging = result.contacts, {"page": result.page, "pages": result.pages}
    return {"contacts": as_json(contacts, client.gateway_time), **paging}


async def _save_contacts(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    list_id = call.data[ATTR_CONTACT_LIST_ID]
    contacts = [_contact(item) for item in call.data[ATTR_CONTACTS]]
    with translated_errors(call.hass, entry):
        return {"changes": as_json(await runtime.client.save_contacts(list_id, contacts))}


def _contact(item: Mapping[str, Any]) -> Contact:
    extra = list(item.get("extra", []))
    return Contact(
        phone=normalized_phones([item[ATTR_PHONE]])[0],
        name=item.get("name"),
        surname=item.get("surname"),
        patronymic=item.get("patronymic"),
        birth_date=item.get("birth_date"),
        gender=Gender(item["gender"]) if "gender" in item else None,
        region=item.get("region"),
        operator=item.get("operator"),
        extra=tuple(extra + [None] * (5 - len(extra))),
    )


async def _delete_contacts(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    list_id = call.data[ATTR_CONTACT_LIST_ID]
    phones = normalized_phones(call.data[ATTR_PHONES])
    with translated_errors(call.hass, entry):
        changes = await runtime.client.save_contacts(list_id, delete_phones=phones)
    return {"changes": as_json(changes)}


async def _get_stop_list(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        return {"phones": list(await runtime.client.get_stop_list())}


async def _update_stop_list(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    add, remove = call.data[ATTR_ADD], call.data[ATTR_REMOVE]
    if not add and not remove:
        raise _validation_error("nothing_to_change")
    add = normalized_phones(add) if add else []
    remove = normalized_phones(remove) if remove else []
    with translated_errors(call.hass, entry):
        return {"changes": as_json(await runtime.client.update_stop_list(add, remove))}


async def _get_scheduled(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    client = runtime.client
    page: int | None = call.data.get(ATTR_PAGE)
    with translated_errors(call.hass, entry):
        if page is None:
            messages = await client.get_all_scheduled()
            paging: dict[str, Any] = {"page": None, "pages": None}
        else:
            result = await client.get_scheduled(page)
            messages, paging = result.messages, {"page": result.page, "pages": result.pages}
    return {"messages": as_json(messages, client.gateway_time), **paging}


async def _cancel_scheduled(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        changes = await runtime.client.cancel_scheduled(call.data[ATTR_MESSAGE_IDS])
    return {"changes": as_json(changes)}


async def _get_gateway_time(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        gateway_time = await runtime.client.get_time()
    return gateway_time_response(gateway_time)


async def _get_statistics(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    data = call.data
    date_from, date_to = data.get(ATTR_DATE_FROM), data.get(ATTR_DATE_TO)
    if date_from is not None and date_to is not None and date_to < date_from:
        raise _validation_error("end_before_start")
    phone = data.get(ATTR_PHONE)
    status = data.get(ATTR_STATUS)
    query = StatisticsQuery(
        date_from=date_from,
        date_to=date_to,
        from_time=data.get(ATTR_FROM_TIME),
        to_time=data.get(ATTR_TO_TIME),
        status=STATUS_BY_NAME[status] if status else None,
        sender=data.get(ATTR_SENDER),
        phone=normalized_phones([phone])[0] if phone else None,
        operator=data.get(ATTR_OPERATOR),
    )
    with translated_errors(call.hass, entry):
        statistics = await runtime.client.get_statistics(query)
    return as_json_object(statistics, runtime.client.gateway_time)


async def _get_templates(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    with translated_errors(call.hass, entry):
        return {"templates": as_json(await runtime.client.get_templates())}


async def _save_template(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    update = TemplateUpdate(
        id=call.data.get(ATTR_TEMPLATE_ID),
        name=call.data[ATTR_NAME],
        text=checked_text(call.data[ATTR_TEXT]),
    )
    with translated_errors(call.hass, entry):
        return {"changes": as_json(await runtime.client.save_templates([update]))}


async def _delete_template(call: ServiceCall) -> ServiceResponse:
    entry, runtime = _gateway(call)
    template_id = call.data[ATTR_TEMPLATE_ID]
    with translated_errors(call.hass, entry):
        changes = await runtime.client.save_templates(delete_ids=[template_id])
    return {"changes": as_json(changes)}


# --- registration ----------------------------------------------------------------------

type _Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

_ACTIONS: Final[tuple[tuple[str, _Handler, vol.Schema, SupportsResponse], ...]] = (
    (SERVICE_SEND_SMS, _send_sms, SEND_SMS_SCHEMA, SupportsResponse.OPTIONAL),
    (
        SERVICE_GET_DELIVERY_STATUS,
        _get_delivery_status,
        GET_DELIVERY_STATUS_SCHEMA,
        SupportsResponse.ONLY,
    ),
    (SERVICE_SEND_PUSH, _send_push, SEND_PUSH_SCHEMA, SupportsResponse.OPTIONAL),
    (SERVICE_SEND_APP_SMS, _send_app_sms, SEND_APP_SMS_SCHEMA, SupportsResponse.OPTIONAL),
    (SERVICE_GET_SENDERS, _get_senders, _NO_FIELDS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_GET_INCOMING, _get_incoming, GET_INCOMING_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_LOOKUP_NUMBERS, _lookup_numbers, PHONES_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_GET_CONTACT_LISTS, _get_contact_lists, _NO_FIELDS_SCHEMA, SupportsResponse.ONLY),
    (
        SERVICE_SAVE_CONTACT_LIST,
        _save_contact_list,
        SAVE_CONTACT_LIST_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (
        SERVICE_DELETE_CONTACT_LIST,
        _delete_contact_list,
        CONTACT_LIST_ID_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_GET_CONTACTS, _get_contacts, GET_CONTACTS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_SAVE_CONTACTS, _save_contacts, SAVE_CONTACTS_SCHEMA, SupportsResponse.OPTIONAL),
    (
        SERVICE_DELETE_CONTACTS,
        _delete_contacts,
        DELETE_CONTACTS_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_GET_STOP_LIST, _get_stop_list, _NO_FIELDS_SCHEMA, SupportsResponse.ONLY),
    (
        SERVICE_UPDATE_STOP_LIST,
        _update_stop_list,
        UPDATE_STOP_LIST_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_GET_SCHEDULED, _get_scheduled, GET_SCHEDULED_SCHEMA, SupportsResponse.ONLY),
    (
        SERVICE_CANCEL_SCHEDULED,
        _cancel_scheduled,
        GET_DELIVERY_STATUS_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (SERVICE_GET_GATEWAY_TIME, _get_gateway_time, _NO_FIELDS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_GET_STATISTICS, _get_statistics, GET_STATISTICS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_GET_TEMPLATES, _get_templates, _NO_FIELDS_SCHEMA, SupportsResponse.ONLY),
    (SERVICE_SAVE_TEMPLATE, _save_template, SAVE_TEMPLATE_SCHEMA, SupportsResponse.OPTIONAL),
    (
        SERVICE_DELETE_TEMPLATE,
        _delete_template,
        DELETE_TEMPLATE_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, handler, schema, supports_response in _ACTIONS:
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )
