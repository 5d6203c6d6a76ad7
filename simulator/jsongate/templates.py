"""SMS templates: `list_patterns`, `patterns`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .context import Context, as_int, as_list, as_object, as_text
from .errors import BAD_FORMAT, GateError

if TYPE_CHECKING:
    from simulator.accounts import Account


def handle_list_patterns(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """Every template."""
    return {
        "patterns": [
            {
                "id_pattern": str(template.id_pattern),
                "name": template.name,
                "pattern": template.pattern,
            }
            for template in ctx.account.templates.values()
        ]
    }


def handle_patterns(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Edit or insert templates (`patterns`), then delete some (`delete_patterns`).

    Editing a template to exactly what it already holds answers `not_edit`.
    """
    if "patterns" not in body and "delete_patterns" not in body:
        raise GateError(BAD_FORMAT)
    account = ctx.account
    saved = [
        _save(account, as_object(entry)) for entry in as_list(body, "patterns", required=False)
    ]
    deleted = [
        _delete(account, as_object(entry))
        for entry in as_list(body, "delete_patterns", required=False)
    ]
    return {"patterns": saved + deleted}


def _save(account: Account, item: dict[str, Any]) -> dict[str, str]:
    name = None if "name" not in item else as_text(item["name"])
    pattern = None if "pattern" not in item else as_text(item["pattern"])
    if item.get("id_pattern") in (None, ""):
        inserted = account.add_template(name or "", pattern or "")
        number = as_text(item.get("number_pattern"))
        return {
            "id_pattern": str(inserted.id_pattern),
            "action": "insert",
            "number_pattern": number,
        }
    template = account.templates.get(as_int(item["id_pattern"]))
    if template is None:
        return {"id_pattern": as_text(item["id_pattern"]), "action": "not_found"}
    new_name = template.name if name is None else name
    new_pattern = template.pattern if pattern is None else pattern
    changed = (new_name, new_pattern) != (template.name, template.pattern)
    template.name, template.pattern = new_name, new_pattern
    return {"id_pattern": str(template.id_pattern), "action": "edit" if changed else "not_edit"}


def _delete(account: Account, item: dict[str, Any]) -> dict[str, str]:
    value = item.get("id_pattern")
    found = account.templates.pop(as_int(value), None) is not None
    return {"id_pattern": as_text(value), "action": "delete" if found else "not_found"}
