"""The integration's actions: sending SMS and push, and every other jsonGate operation.

Each action is declared once, by `_action` on its handler: its name, its fields (beside
`config_entry_id`, which every action takes), the kind of entry it needs and whether it
answers. Schemas check types only; what users can get wrong (a bad phone, an empty
text, a time in the past) is refused with a translated `ServiceValidationError` before
anything is sent, and what the gateway refuses becomes a translated `HomeAssistantError`
(both through `errors`). Responses are made in `responses`.
"""

from __future__ import annotations

from copy import replace
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import voluptuous as vol
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import service
from homeassistant.util import dt as dt_util

from .api import (
    Abonent,
    Collection,
    Contact,
    ContactListUpdate,
    DeliveryStatus,
    Gender,
    MessageType,
    OutgoingMessage,
    StatisticsQuery,
    TemplateUpdate,
    checked_message,
    normalize_phones,
    validate_sender,
)
from .api.scorocode import SMS_COLLECTIONS, parse_json_object
from .const import (
    ATTR_CONFIG_ENTRY_ID,
    CONF_ENTRY_TYPE,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
    ENTRY_TYPE_SCOROCODE,
)
from .errors import translated_errors, validation_error
from .responses import (
    as_json,
    as_json_object,
    async_sms_response,
    enum_name,
    gateway_time_response,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Mapping
    from datetime import datetime

    from .api import JsonGateClient
    from .clients import GatewayRuntimeData, JsonGateConfigEntry, ScorocodeRuntimeData

SEND_MESSAGE_TYPES: Final = [MessageType.SMS, MessageType.FLASH_SMS, MessageType.WAP_PUSH]
STATUS_BY_NAME: Final = {enum_name(status): status for status in DeliveryStatus}
OPTIONAL: Final = SupportsResponse.OPTIONAL

_STRINGS = vol.All(cv.ensure_list, [cv.string])
_PAGE = vol.All(vol.Coerce(int), vol.Range(min=1))
CONTACT_SCHEMA = vol.Schema(
    {
        vol.Required("phone"): cv.string,
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


class Action(NamedTuple):
    """A registered action: its name, handler, schema and whether it answers."""

    name: str
    handler: Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]
    schema: vol.Schema
    supports_response: SupportsResponse


_ACTIONS: list[Action] = []

type _Run = Callable[[ServiceCall, Any], Awaitable[ServiceResponse]]


def _action(
    name: str,
    fields: Mapping[vol.Marker, Any] | None = None,
    response: SupportsResponse = SupportsResponse.ONLY,
    entry_type: str = ENTRY_TYPE_GATEWAY,
) -> Callable[[_Run], _Run]:
    """Declare the decorated function as the action `name`.

    The function gets the call and the runtime data of the entry it names (of
    `entry_type`); the client's errors it raises reach the caller translated.
    """

    def declare(run: _Run) -> _Run:
        async def handle(call: ServiceCall) -> ServiceResponse:
            entry = _entry(call, entry_type)
            with translated_errors(call.hass, entry):
                return await run(call, entry.runtime_data)

        schema = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string, **(fields or {})})
        _ACTIONS.append(Action(name, handle, schema, response))
        return run

    return declare


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, handler, schema, supports_response in _ACTIONS:
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )


# --- entries, input checks -------------------------------------------------------------


def _entry(call: ServiceCall, entry_type: str) -> JsonGateConfigEntry:
    """The loaded config entry the call names, if it is of `entry_type`."""
    entry: JsonGateConfigEntry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    if entry.data.get(CONF_ENTRY_TYPE) != entry_type:
        raise validation_error(
            "not_gateway_entry" if entry_type == ENTRY_TYPE_GATEWAY else "not_scorocode_entry",
            entry_title=entry.title,
        )
    return entry


def _sender(sender: str | None) -> str | None:
    """A sender name the gateway can take; blank: the account's default."""
    return validate_sender(sender) if sender and sender.strip() else None


def _text(text: str) -> str:
    """A message text that is not empty."""
    if not text.strip():
        raise validation_error("empty_message")
    return text


def _json_object(data: Mapping[str, Any], field: str) -> dict[str, Any]:
    """A JSON object given as a mapping or as JSON text; refuses anything else."""
    if (parsed := parse_json_object(data.get(field))) is None:
        raise validation_error("not_json_object", field=field)
    return parsed


def _collection(value: str, *, sms: bool) -> Collection:
    allowed = SMS_COLLECTIONS if sms else frozenset(Collection)
    if (collection := next((i for i in allowed if i.value == value), None)) is None:
        raise validation_error(
            "sms_collection" if sms else "invalid_collection", collection=str(value)
        )
    return collection


def _aware(moment: datetime) -> datetime:
    """A time from an action: naive ones are in Home Assistant's time zone."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt_util.get_default_time_zone())
    return moment


async def _gateway_local(client: JsonGateClient, moment: datetime) -> datetime:
    """A time from an action as the gateway's naive local time."""
    return await client.to_gateway_time(_aware(moment))


# --- sending ---------------------------------------------------------------------------


@_action(
    "send_sms",
    {
        vol.Required("recipients"): _STRINGS,
        vol.Required("message"): cv.string,
        vol.Optional("sender"): cv.string,
        vol.Optional("transliterate", default=False): cv.boolean,
        vol.Optional("send_at"): cv.datetime,
        vol.Optional("valid_until"): cv.datetime,
        vol.Optional("message_type", default=MessageType.SMS.value): vol.In(
            [kind.value for kind in SEND_MESSAGE_TYPES]
        ),
        vol.Optional("url"): cv.string,
    },
    OPTIONAL,
)
async def _send_sms(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    data = call.data
    # `checked_message` is the one check of a send; a blank sender is the default one.
    message = checked_message(
        OutgoingMessage(
            text=data["message"],
            abonents=tuple(Abonent(phone=phone) for phone in data["recipients"]),
            sender=data.get("sender") if (data.get("sender") or "").strip() else None,
            message_type=MessageType(data["message_type"]),
            url=data.get("url") or None,
            transliterate=data["transliterate"],
        )
    )
    if data.get("send_at") is not None or data.get("valid_until") is not None:
        message = await _scheduled(runtime.client, message, data)
    results = await runtime.sender.async_send(message, checked=True)
    return await async_sms_response(call.hass, results, message)


@_action("get_delivery_status", {vol.Required("message_ids"): _STRINGS})
async def _get_delivery_status(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    states = await runtime.client.get_delivery_states(call.data["message_ids"])
    return {"statuses": as_json(states, runtime.client.gateway_time)}


async def _scheduled(
    client: JsonGateClient, message: OutgoingMessage, data: Mapping[str, Any]
) -> OutgoingMessage:
    """The message with its send time and validity, checked and in the gateway's time."""
    send_at: datetime | None = data.get("send_at")
    valid_until: datetime | None = data.get("valid_until")
    now = dt_util.utcnow()
    if send_at is not None and _aware(send_at) <= now:
        raise validation_error("send_at_in_past", send_at=send_at.isoformat())
    if valid_until is not None and _aware(valid_until) <= max(
        now, _aware(send_at) if send_at is not None else now
    ):
        raise validation_error("valid_until_too_early", valid_until=valid_until.isoformat())
    # Converted here, not by the client inside the shared request, so that a failing
    # `time` request fails this call alone.
    local_send_at = await _gateway_local(client, send_at) if send_at else None
    local_valid_until = await _gateway_local(client, valid_until) if valid_until else None
    abonents = tuple(
        replace(abonent, send_at=local_send_at, valid_until=local_valid_until)
        for abonent in message.abonents
    )
    return replace(message, abonents=abonents)


@_action(
    "send_push",
    {
        vol.Required("message"): cv.string,
        vol.Optional("title"): cv.string,
        vol.Optional("collection", default=Collection.DEVICES.value): cv.string,
        vol.Optional("query"): object,
        vol.Optional("data"): object,
        vol.Optional("debug", default=False): cv.boolean,
    },
    OPTIONAL,
    ENTRY_TYPE_SCOROCODE,
)
async def _send_push(call: ServiceCall, runtime: ScorocodeRuntimeData) -> ServiceResponse:
    data = call.data
    text = _text(data["message"])
    collection = _collection(data["collection"], sms=False)
    query, extra = _json_object(data, "query"), _json_object(data, "data")
    count = await runtime.client.send_push(
        collection, text, title=data.get("title"), query=query, data=extra, debug=data["debug"]
    )
    return {"count": count}


@_action(
    "send_app_sms",
    {
        vol.Required("message"): cv.string,
        vol.Optional("collection", default=Collection.USERS.value): cv.string,
        vol.Optional("query"): object,
    },
    OPTIONAL,
    ENTRY_TYPE_SCOROCODE,
)
async def _send_app_sms(call: ServiceCall, runtime: ScorocodeRuntimeData) -> ServiceResponse:
    data = call.data
    text = _text(data["message"])
    collection = _collection(data["collection"], sms=True)
    query = _json_object(data, "query")
    return {"count": await runtime.client.send_sms(collection, text, query=query)}


# --- reading and changing the account ------------------------------------------------


@_action("get_senders")
async def _get_senders(_call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return as_json_object(await runtime.client.get_senders())


@_action("get_incoming", {vol.Required("start"): cv.datetime, vol.Optional("end"): cv.datetime})
async def _get_incoming(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    client = runtime.client
    start: datetime = call.data["start"]
    end: datetime | None = call.data.get("end")
    if end is not None and _aware(end) <= _aware(start):
        raise validation_error("end_before_start")
    local_end = await _gateway_local(client, end) if end is not None else None
    messages = await client.get_incoming(await _gateway_local(client, start), local_end)
    return {"messages": as_json(messages, client.gateway_time)}


@_action("lookup_numbers", {vol.Required("phones"): _STRINGS})
async def _lookup_numbers(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    phones = normalize_phones(call.data["phones"])
    return {"numbers": as_json(await runtime.client.lookup_numbers(phones))}


@_action("get_contact_lists")
async def _get_contact_lists(_call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return {"contact_lists": as_json(await runtime.client.get_contact_lists())}


@_action(
    "save_contact_list",
    {
        vol.Optional("contact_list_id"): cv.string,
        vol.Required("name"): cv.string,
        vol.Optional("greeting_enabled", default=False): cv.boolean,
        vol.Optional("greeting_time"): cv.time,
        vol.Optional("greeting_in_local_time", default=False): cv.boolean,
        vol.Optional("greeting_days_before", default=0): vol.All(vol.Coerce(int), vol.Range(min=0)),
        vol.Optional("greeting_sender"): cv.string,
        vol.Optional("greeting_text"): cv.string,
    },
    OPTIONAL,
)
async def _save_contact_list(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    data = call.data
    greeting_time = data.get("greeting_time")
    update = ContactListUpdate(
        id=data.get("contact_list_id"),
        name=data["name"],
        greeting_enabled=data["greeting_enabled"],
        greeting_time=greeting_time.strftime("%H:%M") if greeting_time else None,
        greeting_in_local_time=data["greeting_in_local_time"],
        greeting_days_before=data["greeting_days_before"],
        greeting_sender=_sender(data.get("greeting_sender")),
        greeting_text=data.get("greeting_text"),
    )
    return {"changes": as_json(await runtime.client.save_contact_lists([update]))}


@_action("delete_contact_list", {vol.Required("contact_list_id"): cv.string}, OPTIONAL)
async def _delete_contact_list(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    list_id = call.data["contact_list_id"]
    return {"changes": as_json(await runtime.client.save_contact_lists(delete_ids=[list_id]))}


@_action(
    "get_contacts",
    {
        vol.Required("contact_list_id"): cv.string,
        vol.Optional("page"): _PAGE,
        vol.Optional("updated_since"): cv.datetime,
    },
)
async def _get_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    client = runtime.client
    list_id, page = call.data["contact_list_id"], call.data.get("page")
    since: datetime | None = call.data.get("updated_since")
    since = await _gateway_local(client, since) if since is not None else None
    if page is None:
        contacts = await client.get_all_contacts(list_id, since)
        paging: dict[str, Any] = {"page": None, "pages": None}
    else:
        result = await client.get_contacts(list_id, page, since)
        contacts, paging = result.contacts, {"page": result.page, "pages": result.pages}
    return {"contacts": as_json(contacts, client.gateway_time), **paging}


@_action(
    "save_contacts",
    {
        vol.Required("contact_list_id"): cv.string,
        vol.Required("contacts"): vol.All(cv.ensure_list, [CONTACT_SCHEMA]),
    },
    OPTIONAL,
)
async def _save_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    contacts = [_contact(item) for item in call.data["contacts"]]
    changes = await runtime.client.save_contacts(call.data["contact_list_id"], contacts)
    return {"changes": as_json(changes)}


def _contact(item: Mapping[str, Any]) -> Contact:
    extra = list(item.get("extra", []))
    return Contact(
        phone=normalize_phones([item["phone"]])[0],
        name=item.get("name"),
        surname=item.get("surname"),
        patronymic=item.get("patronymic"),
        birth_date=item.get("birth_date"),
        gender=Gender(item["gender"]) if "gender" in item else None,
        region=item.get("region"),
        operator=item.get("operator"),
        extra=tuple(extra + [None] * (5 - len(extra))),
    )


@_action(
    "delete_contacts",
    {vol.Required("contact_list_id"): cv.string, vol.Required("phones"): _STRINGS},
    OPTIONAL,
)
async def _delete_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    phones = normalize_phones(call.data["phones"])
    changes = await runtime.client.save_contacts(call.data["contact_list_id"], delete_phones=phones)
    return {"changes": as_json(changes)}


@_action("get_stop_list")
async def _get_stop_list(_call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return {"phones": list(await runtime.client.get_stop_list())}


@_action(
    "update_stop_list",
    {
        vol.Optional("add", default=list): _STRINGS,
        vol.Optional("remove", default=list): _STRINGS,
    },
    OPTIONAL,
)
async def _update_stop_list(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    add, remove = call.data["add"], call.data["remove"]
    if not add and not remove:
        raise validation_error("nothing_to_change")
    add = normalize_phones(add) if add else []
    remove = normalize_phones(remove) if remove else []
    return {"changes": as_json(await runtime.client.update_stop_list(add, remove))}


@_action("get_scheduled", {vol.Optional("page"): _PAGE})
async def _get_scheduled(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    client = runtime.client
    if (page := call.data.get("page")) is None:
        messages = await client.get_all_scheduled()
        paging: dict[str, Any] = {"page": None, "pages": None}
    else:
        result = await client.get_scheduled(page)
        messages, paging = result.messages, {"page": result.page, "pages": result.pages}
    return {"messages": as_json(messages, client.gateway_time), **paging}


@_action("cancel_scheduled", {vol.Required("message_ids"): _STRINGS}, OPTIONAL)
async def _cancel_scheduled(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return {"changes": as_json(await runtime.client.cancel_scheduled(call.data["message_ids"]))}


@_action("get_gateway_time")
async def _get_gateway_time(_call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return gateway_time_response(await runtime.client.get_time())


@_action(
    "get_statistics",
    {
        vol.Optional("date_from"): cv.date,
        vol.Optional("date_to"): cv.date,
        vol.Optional("from_time"): cv.time,
        vol.Optional("to_time"): cv.time,
        vol.Optional("status"): vol.In(list(STATUS_BY_NAME)),
        vol.Optional("sender"): cv.string,
        vol.Optional("phone"): cv.string,
        vol.Optional("operator"): cv.string,
    },
)
async def _get_statistics(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    data = call.data
    date_from, date_to = data.get("date_from"), data.get("date_to")
    if date_from is not None and date_to is not None and date_to < date_from:
        raise validation_error("end_before_start")
    phone, status = data.get("phone"), data.get("status")
    query = StatisticsQuery(
        date_from=date_from,
        date_to=date_to,
        from_time=data.get("from_time"),
        to_time=data.get("to_time"),
        status=STATUS_BY_NAME[status] if status else None,
        sender=data.get("sender"),
        phone=normalize_phones([phone])[0] if phone else None,
        operator=data.get("operator"),
    )
    statistics = await runtime.client.get_statistics(query)
    return as_json_object(statistics, runtime.client.gateway_time)


@_action("get_templates")
async def _get_templates(_call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    return {"templates": as_json(await runtime.client.get_templates())}


@_action(
    "save_template",
    {
        vol.Optional("template_id"): cv.string,
        vol.Required("name"): cv.string,
        vol.Required("text"): cv.string,
    },
    OPTIONAL,
)
async def _save_template(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    data = call.data
    update = TemplateUpdate(id=data.get("template_id"), name=data["name"], text=_text(data["text"]))
    return {"changes": as_json(await runtime.client.save_templates([update]))}


@_action("delete_template", {vol.Required("template_id"): cv.string}, OPTIONAL)
async def _delete_template(call: ServiceCall, runtime: GatewayRuntimeData) -> ServiceResponse:
    template_id = call.data["template_id"]
    return {"changes": as_json(await runtime.client.save_templates(delete_ids=[template_id]))}
