"""Contact lists and their abonents: `list_bases`, `bases`, `list_phones`, `phones`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.accounts import BASE_FIELDS, CONTACT_FIELDS, Contact, ContactList

from .context import Context, as_int, as_list, as_object, as_text
from .errors import BAD_FORMAT, NO_SUCH_BASE, GateError

if TYPE_CHECKING:
    from simulator.accounts import Account

# Requests name the sex in Russian; answers use m / f.
_MALE = {"мужской": "m", "женский": "f", "m": "m", "f": "f", "м": "m", "ж": "f"}


def handle_list_bases(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """All contact lists with their birthday-greeting settings."""
    return {"base": [_base_row(base) for base in ctx.account.contact_lists.values()]}


def handle_bases(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Edit or insert contact lists (`bases`), then delete some (`delete_bases`)."""
    if "bases" not in body and "delete_bases" not in body:
        raise GateError(BAD_FORMAT)
    saved = [
        _save_base(ctx.account, as_object(entry))
        for entry in as_list(body, "bases", required=False)
    ]
    deleted = [
        _delete_base(ctx.account, as_object(entry))
        for entry in as_list(body, "delete_bases", required=False)
    ]
    return {"bases": saved + deleted}


def _save_base(account: Account, item: dict[str, Any]) -> dict[str, str]:
    settings = {name: as_text(item[name]) for name in BASE_FIELDS if name in item}
    if item.get("id_base") in (None, ""):
        inserted = account.add_contact_list(settings.pop("name_base", ""), **settings)
        number = as_text(item.get("number_base"))
        return {"id_base": str(inserted.id_base), "action": "insert", "number_base": number}
    base = _base(account, item["id_base"])
    if base is None:
        return {"id_base": as_text(item["id_base"]), "action": "not_found"}
    base.settings.update(settings)
    return {"id_base": str(base.id_base), "action": "edit"}


def _delete_base(account: Account, item: dict[str, Any]) -> dict[str, str]:
    value = item.get("id_base")
    base = _base(account, value)
    if base is None:
        return {"id_base": as_text(value), "action": "not_found"}
    del account.contact_lists[base.id_base]
    return {"id_base": str(base.id_base), "action": "delete"}


def handle_list_phones(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """One page of a contact list's abonents, optionally only those changed since a time."""
    request = as_object(body.get("base"))
    base = _existing_base(ctx.account, request.get("id_base"))
    contacts = list(base.contacts.values())
    if request.get("last_update") not in (None, ""):
        since = ctx.parse_time(request["last_update"])
        contacts = [contact for contact in contacts if contact.last_update >= since]
    page, num_pages, contacts = ctx.page(contacts, request.get("page"))
    return {
        "page": str(page),
        "num_pages": str(num_pages),
        "phones": [_contact_row(ctx, contact) for contact in contacts],
    }


def handle_phones(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Insert, edit (same phone) or delete abonents of one contact list."""
    base = _existing_base(ctx.account, body.get("id_base"))
    rows: list[dict[str, str]] = []
    for entry in as_list(body, "phones"):
        item = as_object(entry)
        phone = as_text(item.get("phone")).strip()
        if not phone:
            raise GateError(BAD_FORMAT)
        if as_text(item.get("action")) == "delete":
            action = "delete" if base.contacts.pop(phone, None) else "not_found"
        else:
            action = "edit" if phone in base.contacts else "insert"
            _upsert_contact(ctx, base, phone, item)
        rows.append(
            {"phone": phone, "number_phone": as_text(item.get("number_phone")), "action": action}
        )
    return {"id_base": str(base.id_base), "phones": rows}


def _upsert_contact(ctx: Context, base: ContactList, phone: str, item: dict[str, Any]) -> None:
    given = {name: as_text(item[name]) for name in CONTACT_FIELDS if name in item}
    if "male" in given:
        given["male"] = _MALE.get(given["male"].strip().casefold(), "")
    existing = base.contacts.get(phone)
    if existing is not None:
        existing.fields.update(given)
        existing.last_update = ctx.now
        return
    area = ctx.account.area_for(phone)
    # Region and operator are "determined automatically" when not given.
    automatic = {"region": area.region, "operator": area.name} if area else {}
    fields = dict.fromkeys(CONTACT_FIELDS, "") | automatic | given
    base.contacts[phone] = Contact(phone=phone, fields=fields, last_update=ctx.now)


def _base(account: Account, value: Any) -> ContactList | None:  # noqa: ANN401 - a JSON value
    return account.contact_lists.get(as_int(value))


def _existing_base(account: Account, value: Any) -> ContactList:  # noqa: ANN401 - a JSON value
    if value in (None, ""):
        raise GateError(BAD_FORMAT)
    base = _base(account, value)
    if base is None:
        raise GateError(NO_SUCH_BASE)
    return base


def _base_row(base: ContactList) -> dict[str, str]:
    return {"id_base": str(base.id_base), **{name: base.settings[name] for name in BASE_FIELDS}}


def _contact_row(ctx: Context, contact: Contact) -> dict[str, str]:
    return {
        "phone": contact.phone,
        **contact.fields,
        "last_update": ctx.local(contact.last_update),
    }
