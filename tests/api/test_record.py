"""`Record`, the base of the client's models: what a frozen keyword dataclass would give."""

from __future__ import annotations

import copy

import pytest

from custom_components.jsongate.api.models import (
    Abonent,
    AreaBalance,
    Balance,
    ContactList,
    Statistics,
)
from custom_components.jsongate.api.record import record_fields


def test_fields_defaults_and_inherited_fields() -> None:
    """Defaults fill what was not given; a subclass's fields follow its base's."""
    abonent = Abonent(phone="79991234567")
    assert (abonent.phone, abonent.client_id_sms, abonent.send_at) == ("79991234567", None, None)
    assert record_fields(abonent) == ("phone", "client_id_sms", "send_at", "valid_until")
    contact_list = ContactList(id="7", name="Friends")
    assert record_fields(contact_list)[0] == "name"
    assert record_fields(contact_list)[-1] == "id"
    assert contact_list.greeting_days_before == 0
    assert Statistics(3) == Statistics(total=3, records=())


def test_positional_arguments_in_field_order() -> None:
    """Where a class takes positional arguments, they fill the fields in order."""
    area = AreaBalance("Russia", 10)
    assert (area.area, area.sms_available) == ("Russia", 10)
    with pytest.raises(TypeError, match="positional"):
        AreaBalance("Russia", 10, 11)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional"):
        AreaBalance("Russia", area="Russia", sms_available=1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "missing field"),
        ({"phone": "7", "number": 1}, "unexpected field"),
    ],
)
def test_missing_and_unknown_fields_are_refused(values: dict[str, object], message: str) -> None:
    """A missing required field or an unknown one is a `TypeError`, as for a dataclass."""
    with pytest.raises(TypeError, match=message):
        Abonent(**values)  # type: ignore[arg-type]


def test_immutable() -> None:
    """Fields can be neither set nor deleted."""
    abonent = Abonent(phone="7")
    with pytest.raises(AttributeError, match="immutable"):
        abonent.phone = "8"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del abonent.phone  # type: ignore[misc]
    assert abonent.phone == "7"


def test_equality_hash_repr_and_replace() -> None:
    """Compared and hashed by value within a class; `copy.replace` makes a changed copy."""
    balance = Balance(money=1, currency="RUB", areas=())  # type: ignore[arg-type]
    same = Balance(1, "RUB", ())  # type: ignore[arg-type]
    assert balance == same
    assert hash(balance) == hash(same)
    assert balance != Balance(2, "RUB", ())  # type: ignore[arg-type]
    assert AreaBalance("a", 1) != ("a", 1)
    assert repr(AreaBalance("a", 1)) == "AreaBalance(area='a', sms_available=1)"
    abonent = Abonent(phone="7")
    changed = copy.replace(abonent, client_id_sms=5)
    assert (changed.phone, changed.client_id_sms) == ("7", 5)
    assert abonent.client_id_sms is None
