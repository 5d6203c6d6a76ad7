"""The integration's actions, each declared once: its name, fields, entry kind and response.

Schemas check types; bad input is refused, translated, before anything is sent (see `errors`).
"""

from __future__ import annotations

from copy import replace
from typing import TYPE_CHECKING, Any, Final, cast

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse, callback
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
    JsonGateClient,
    MessageType,
    OutgoingMessage,
    StatisticsQuery,
    TemplateUpdate,
    checked_message,
    normalize_phones,
    validate_sender,
)
from .api.scorocode import parse_json_object
from .clients import is_scorocode
from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .errors import translated_errors, validation_error
from .responses import as_json, async_sms_response, enum_name

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping
    from datetime import datetime

    from homeassistant.core import ServiceResponse
    from homeassistant.util.json import JsonObjectType

    from .clients import GatewayRuntimeData, JsonGateConfigEntry, ScorocodeRuntimeData

STATUS_BY_NAME: Final = {enum_name(status): status for status in DeliveryStatus}
OPTIONAL: Final = SupportsResponse.OPTIONAL

# Fields that several actions take.
_STRINGS = vol.All(cv.ensure_list, [cv.string])
_MESSAGE_IDS = {vol.Required("message_ids"): _STRINGS}
_PHONES = {vol.Required("phones"): _STRINGS}
_LIST_ID = {vol.Required("contact_list_id"): cv.string}
_PAGE = {vol.Optional("page"): vol.All(vol.Coerce(int), vol.Range(min=1))}
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


# Each action as `hass.services.async_register` takes it after the domain.
_ACTIONS: list[tuple[str, Callable[..., Any], vol.Schema, SupportsResponse]] = []

type _Run = Callable[[ServiceCall, Any], Awaitable[object]]


def _action(
    name: str,
    fields: Mapping[vol.Marker, Any] | None = None,
    response: SupportsResponse = SupportsResponse.ONLY,
    *,
    scorocode: bool = False,
) -> Callable[[_Run], _Run]:
    """Declare the decorated function, given its entry's runtime data, as the action `name`."""

    def declare(run: _Run) -> _Run:
        async def handle(call: ServiceCall) -> ServiceResponse:
            entry: JsonGateConfigEntry = service.async_get_config_entry(
                call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
            )
            if is_scorocode(entry.data) != scorocode:
                key = "not_scorocode_entry" if scorocode else "not_gateway_entry"
                raise validation_error(key, entry_title=entry.title)
            with translated_errors(call.hass, entry):
                result = await run(call, entry.runtime_data)
            client = entry.runtime_data.client
            clock = client.gateway_time if isinstance(client, JsonGateClient) else None
            return cast("JsonObjectType", as_json(result, clock))

        schema = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string, **(fields or {})})
        _ACTIONS.append((name, handle, schema, response))
        return run

    return declare


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for action in _ACTIONS:
        hass.services.async_register(DOMAIN, *action)


def _model_fields(call: ServiceCall, **renames: str) -> dict[str, Any]:
    """The action's fields but the entry, under a model's names (`renames`: action's → model's)."""
    data = call.data
    return {renames.get(key, key): data[key] for key in data if key != ATTR_CONFIG_ENTRY_ID}


def _json_object(data: Mapping[str, Any], field: str) -> dict[str, Any]:
    """A JSON object given as a mapping or as JSON text; refuses anything else."""
    if (parsed := parse_json_object(data.get(field))) is None:
        raise validation_error("not_json_object", field=field)
    return parsed


async def _gateway_local(client: JsonGateClient, moment: datetime | None) -> datetime | None:
    """A time from an action (naive: in Home Assistant's zone) as the gateway's local time."""
    return None if moment is None else await client.to_gateway_time(dt_util.as_utc(moment))


# Sending.
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
            [kind.value for kind in (MessageType.SMS, MessageType.FLASH_SMS, MessageType.WAP_PUSH)]
        ),
        vol.Optional("url"): cv.string,
    },
    OPTIONAL,
)
async def _send_sms(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    data, sender = call.data, call.data.get("sender") or ""
    message = OutgoingMessage(
        text=data["message"],
        abonents=tuple(Abonent(phone=phone) for phone in data["recipients"]),
        sender=sender if sender.strip() else None,  # blank: the default sender
        message_type=MessageType(data["message_type"]),
        url=data.get("url") or None,
        transliterate=data["transliterate"],
    )
    message = checked_message(message)  # the one check of a send
    send_at, valid_until, now = data.get("send_at"), data.get("valid_until"), dt_util.utcnow()
    if send_at is not None and dt_util.as_utc(send_at) <= now:
        raise validation_error("send_at_in_past", send_at=send_at.isoformat())
    if valid_until is not None and dt_util.as_utc(valid_until) <= dt_util.as_utc(send_at or now):
        raise validation_error("valid_until_too_early", valid_until=valid_until.isoformat())
    if send_at or valid_until:
        # Converted here, not by the client inside the shared request, so that a failing
        # `time` request fails this call alone.
        client = runtime.client
        send_at, valid_until = [await _gateway_local(client, at) for at in (send_at, valid_until)]
        abonents = (
            replace(one, send_at=send_at, valid_until=valid_until) for one in message.abonents
        )
        message = replace(message, abonents=tuple(abonents))
    results = await runtime.sender.async_send(message, checked=True)
    return await async_sms_response(call.hass, results, message)


@_action("get_delivery_status", _MESSAGE_IDS)
async def _get_delivery_status(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"statuses": await runtime.client.get_delivery_states(call.data["message_ids"])}


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
    scorocode=True,
)
async def _send_push(call: ServiceCall, runtime: ScorocodeRuntimeData) -> object:
    data = call.data
    collection, text, title = data["collection"], data["message"], data.get("title")
    query, extra = _json_object(data, "query"), _json_object(data, "data")
    count = await runtime.client.send_push(
        collection, text, title=title, query=query, data=extra, debug=data["debug"]
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
    scorocode=True,
)
async def _send_app_sms(call: ServiceCall, runtime: ScorocodeRuntimeData) -> object:
    data, query = call.data, _json_object(call.data, "query")
    count = await runtime.client.send_sms(data["collection"], data["message"], query=query)
    return {"count": count}


# Reading and changing the account.
@_action("get_senders")
async def _get_senders(_call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return await runtime.client.get_senders()


@_action("get_incoming", {vol.Required("start"): cv.datetime, vol.Optional("end"): cv.datetime})
async def _get_incoming(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    client, start, end = runtime.client, call.data["start"], call.data.get("end")
    if end is not None and dt_util.as_utc(end) <= dt_util.as_utc(start):
        raise validation_error("end_before_start")
    local_start = await client.to_gateway_time(dt_util.as_utc(start))
    return {"messages": await client.get_incoming(local_start, await _gateway_local(client, end))}


@_action("lookup_numbers", _PHONES)
async def _lookup_numbers(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"numbers": await runtime.client.lookup_numbers(normalize_phones(call.data["phones"]))}


@_action("get_contact_lists")
async def _get_contact_lists(_call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"contact_lists": await runtime.client.get_contact_lists()}


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
async def _save_contact_list(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    fields = _model_fields(call, contact_list_id="id")
    if greeting_time := fields.get("greeting_time"):
        fields["greeting_time"] = greeting_time.strftime("%H:%M")
    sender = fields.get("greeting_sender") or ""
    fields["greeting_sender"] = validate_sender(sender) if sender.strip() else None
    return {"changes": await runtime.client.save_contact_lists([ContactListUpdate(**fields)])}


@_action("delete_contact_list", _LIST_ID, OPTIONAL)
async def _delete_contact_list(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    list_id = call.data["contact_list_id"]
    return {"changes": await runtime.client.save_contact_lists(delete_ids=[list_id])}


@_action("get_contacts", {**_LIST_ID, **_PAGE, vol.Optional("updated_since"): cv.datetime})
async def _get_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    client, list_id, page = runtime.client, call.data["contact_list_id"], call.data.get("page")
    since = await _gateway_local(client, call.data.get("updated_since"))
    if page is not None:
        return await client.get_contacts(list_id, page, since)
    return {"contacts": await client.get_all_contacts(list_id, since), "page": None, "pages": None}


@_action(
    "save_contacts",
    {**_LIST_ID, vol.Required("contacts"): vol.All(cv.ensure_list, [CONTACT_SCHEMA])},
    OPTIONAL,
)
async def _save_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    contacts = [_contact(item) for item in call.data["contacts"]]
    return {"changes": await runtime.client.save_contacts(call.data["contact_list_id"], contacts)}


def _contact(item: Mapping[str, Any]) -> Contact:
    extra = tuple(item.get("extra", ()))
    phone = normalize_phones([item["phone"]])[0]
    fields = dict(item, phone=phone, extra=extra + (None,) * (5 - len(extra)))
    if "gender" in item:
        fields["gender"] = Gender(item["gender"])
    return Contact(**fields)


@_action("delete_contacts", _LIST_ID | _PHONES, OPTIONAL)
async def _delete_contacts(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    phones = normalize_phones(call.data["phones"])
    changes = await runtime.client.save_contacts(call.data["contact_list_id"], delete_phones=phones)
    return {"changes": changes}


@_action("get_stop_list")
async def _get_stop_list(_call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"phones": await runtime.client.get_stop_list()}


@_action(
    "update_stop_list",
    {vol.Optional("add", default=list): _STRINGS, vol.Optional("remove", default=list): _STRINGS},
    OPTIONAL,
)
async def _update_stop_list(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    add, remove = call.data["add"], call.data["remove"]
    if not add and not remove:
        raise validation_error("nothing_to_change")
    add, remove = [normalize_phones(phones) if phones else [] for phones in (add, remove)]
    return {"changes": await runtime.client.update_stop_list(add, remove)}


@_action("get_scheduled", _PAGE)
async def _get_scheduled(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    if (page := call.data.get("page")) is not None:
        return await runtime.client.get_scheduled(page)
    return {"messages": await runtime.client.get_all_scheduled(), "page": None, "pages": None}


@_action("cancel_scheduled", _MESSAGE_IDS, OPTIONAL)
async def _cancel_scheduled(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"changes": await runtime.client.cancel_scheduled(call.data["message_ids"])}


@_action("get_gateway_time")
async def _get_gateway_time(_call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    clock = await runtime.client.get_time()
    aware = clock.localize(clock.local_time)
    # `local_time` as a text: a naive time would be answered with the offset added.
    local_time, utc_offset = clock.local_time.isoformat(), aware.strftime("%:z")
    return {"time": aware, "local_time": local_time, "utc_offset": utc_offset}


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
async def _get_statistics(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    data = call.data
    date_from, date_to = data.get("date_from"), data.get("date_to")
    if date_from is not None and date_to is not None and date_to < date_from:
        raise validation_error("end_before_start")
    fields, phone, status = _model_fields(call), data.get("phone"), data.get("status")
    fields["phone"] = normalize_phones([phone])[0] if phone else None
    fields["status"] = STATUS_BY_NAME[status] if status else None
    return await runtime.client.get_statistics(StatisticsQuery(**fields))


@_action("get_templates")
async def _get_templates(_call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"templates": await runtime.client.get_templates()}


@_action(
    "save_template",
    {
        vol.Optional("template_id"): cv.string,
        vol.Required("name"): cv.string,
        vol.Required("text"): cv.string,
    },
    OPTIONAL,
)
async def _save_template(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    if not call.data["text"].strip():
        raise validation_error("empty_message")
    update = TemplateUpdate(**_model_fields(call, template_id="id"))
    return {"changes": await runtime.client.save_templates([update])}


@_action("delete_template", {vol.Required("template_id"): cv.string}, OPTIONAL)
async def _delete_template(call: ServiceCall, runtime: GatewayRuntimeData) -> object:
    return {"changes": await runtime.client.save_templates(delete_ids=[call.data["template_id"]])}
