"""Property tests: whatever a gateway answers, the client raises only its own errors.

Arbitrary bytes go through the decoder; arbitrary JSON goes through the answer check
and every request type's parser. Anything other than a model or a `GatewayError` (a
`KeyError`, `TypeError`, `AttributeError` …) would reach Home Assistant as a crash.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.jsongate.api import Abonent, GatewayError, answers
from custom_components.jsongate.api.fields import Fields
from custom_components.jsongate.api.jsongate import check_answer
from custom_components.jsongate.api.transport import decode_json

SEND_ABONENTS = [(1, Abonent(phone="79161234567"), 100), (2, Abonent(phone="79161234568"), 101)]

PARSERS: dict[str, Any] = {
    "sms": lambda fields: answers.parse_send(fields, SEND_ABONENTS),
    "state": answers.parse_states,
    "balance": answers.parse_balance,
    "originator": answers.parse_senders,
    "incoming": answers.parse_incoming,
    "def": lambda fields: answers.parse_list(fields, "def"),
    "list_bases": lambda fields: answers.parse_list(fields, "list_bases"),
    "bases": lambda fields: answers.parse_list(fields, "bases"),
    "list_phones": answers.parse_contact_page,
    "phones": lambda fields: answers.parse_list(fields, "phones"),
    "stop": lambda fields: answers.parse_list(fields, "stop"),
    "list_scheduled": answers.parse_scheduled_page,
    "scheduled": lambda fields: answers.parse_list(fields, "scheduled"),
    "time": answers.parse_gateway_time,
    "list_stats": answers.parse_statistics,
    "list_patterns": lambda fields: answers.parse_list(fields, "list_patterns"),
    "patterns": lambda fields: answers.parse_list(fields, "patterns"),
}

# Keys the parsers look for, so that generated objects often reach deep into them.
KNOWN_KEYS = sorted(
    {
        "error",
        "sms",
        "number_sms",
        "id_sms",
        "parts",
        "action",
        "state",
        "time",
        "num_parts",
        "price",
        "money",
        "currency",
        "value",
        "area",
        "number",
        "any_originator",
        "list_originator",
        "originator",
        "date_receive",
        "prefix",
        "phone",
        "text_sms",
        "phones",
        "operator",
        "region",
        "time_zone",
        "base",
        "id_base",
        "name_base",
        "on_birth",
        "day_before",
        "bases",
        "number_base",
        "page",
        "num_pages",
        "date_birth",
        "male",
        "last_update",
        "number_phone",
        "scheduled",
        "count_sms",
        "time_send",
        "num_stats",
        "stats",
        "status",
        "part_no",
        "patterns",
        "id_pattern",
        "name",
        "pattern",
    }
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["1", "1.5", "send", "deliver", "2016-03-02 18:31:38", "", "TRUE", "yes", "m", "1e999"]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=30,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=json_values,
    request_type=st.sampled_from(sorted(PARSERS)),
    status=st.sampled_from([200, 401, 404]),
)
def test_any_json_answer_raises_only_gateway_errors(
    answer: Any, request_type: str, status: int
) -> None:
    with contextlib.suppress(GatewayError):
        PARSERS[request_type](check_answer(request_type, status, answer))


@settings(max_examples=300)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_decode_or_raise_gateway_errors(raw: bytes) -> None:
    try:
        decoded = decode_json(raw)
    except GatewayError:
        return
    # What decodes is what the standard library would decode.
    assert json.dumps(decoded, sort_keys=True, default=str) == json.dumps(
        json.loads(raw.decode("utf-8-sig")), sort_keys=True, default=str
    )


@settings(max_examples=200)
@given(answer=json_values)
def test_fields_reader_never_leaks_values_into_messages(answer: Any) -> None:
    """Error messages name fields, never values (answers may carry personal data)."""
    secret = "S3CRET-VALUE"
    document = {"money": {"currency": secret, "value": [secret]}, "sms": answer}
    with pytest.raises(GatewayError) as caught:
        answers.parse_balance(Fields(document, "balance"))
    assert secret not in str(caught.value)
