"""The JSON that actions return, made from the client's models.

Conventions, the same in every response: times are ISO 8601, timezone-aware when the
gateway's offset from UTC is known (it is learned from the gateway's clock) and the
gateway's naive local time otherwise; dates are `YYYY-MM-DD`; money is a float; enums
are lower-case words (`delivered`, `approved`, `added`); a missing value is `null`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import (
    ChangeAction,
    DeliveryStatus,
    SendErrorKind,
    SenderState,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime
    from decimal import Decimal

    from .api import (
        Change,
        Contact,
        ContactList,
        DeliveryState,
        GatewayTime,
        IncomingSms,
        NumberInfo,
        ScheduledSms,
        SenderList,
        SendResult,
        Statistics,
        StatisticsRecord,
        Template,
    )

DELIVERY_STATUS_NAMES = {
    DeliveryStatus.PENDING: "pending",
    DeliveryStatus.DELIVERED: "delivered",
    DeliveryStatus.NOT_DELIVERED: "not_delivered",
    DeliveryStatus.EXPIRED: "expired",
    DeliveryStatus.PARTLY_DELIVERED: "partly_delivered",
    DeliveryStatus.UNKNOWN: "unknown",
}
SENDER_STATE_NAMES = {
    SenderState.ORDERED: "ordered",
    SenderState.APPROVED: "approved",
    SenderState.REJECTED: "rejected",
    SenderState.UNKNOWN: "unknown",
}
CHANGE_ACTION_NAMES = {
    ChangeAction.ADDED: "added",
    ChangeAction.INSERTED: "added",
    ChangeAction.EDITED: "changed",
    ChangeAction.NOT_EDITED: "unchanged",
    ChangeAction.DELETED: "deleted",
    ChangeAction.NOT_FOUND: "not_found",
    ChangeAction.UNKNOWN: "unknown",
}
STATUS_SENT = "sent"
STATUS_FAILED = "failed"


class ResponseMaker:
    """Turns the client's models into JSON, with the gateway's clock for its times."""

    def __init__(self, gateway_time: GatewayTime | None) -> None:
        """Make naive gateway times aware with `gateway_time`'s offset, when known."""
        self._gateway_time = gateway_time

    def time(self, value: datetime | None) -> str | None:
        """A gateway-local time as ISO 8601, aware when the offset is known."""
        if value is None:
            return None
        if self._gateway_time is not None and value.tzinfo is None:
            value = self._gateway_time.localize(value)
        return value.isoformat()

    def send_results(
        self,
        results: Iterable[SendResult],
        error_texts: Mapping[SendErrorKind, str],
        local_parts: int,
    ) -> dict[str, Any]:
        """The `send_sms` response; `local_parts` stands in when the gateway gives none."""
        messages = [
            {
                "phone": result.phone,
                "message_id": result.message_id,
                "parts": (result.parts if result.parts is not None else local_parts)
                if result.accepted
                else None,
                "status": STATUS_SENT if result.accepted else STATUS_FAILED,
                "error": None
                if result.accepted
                else {
                    "code": (kind := result.error or SendErrorKind.UNKNOWN).value,
                    "message": error_texts.get(kind, kind.value),
                    "gateway_message": result.status,
                },
            }
            for result in results
        ]
        sent = sum(1 for message in messages if message["status"] == STATUS_SENT)
        return {"messages": messages, "sent": sent, "failed": len(messages) - sent}

    def delivery_states(self, states: Iterable[DeliveryState]) -> dict[str, Any]:
        """The `get_delivery_status` response."""
        return {
            "statuses": [
                {
                    "message_id": state.message_id,
                    "status": DELIVERY_STATUS_NAMES[state.status],
                    "changed_at": self.time(state.changed_at),
                    "parts": state.parts,
                    "price": money(state.price),
                }
                for state in states
            ]
        }

    def incoming(self, messages: Iterable[IncomingSms]) -> dict[str, Any]:
        """The `get_incoming` response, oldest first."""
        return {
            "messages": [
                {
                    "message_id": sms.message_id,
                    "sender": sms.sender,
                    "recipient": sms.recipient,
                    "text": sms.text,
                    "prefix": sms.prefix,
                    "received_at": self.time(sms.received_at),
                }
                for sms in messages
            ]
        }

    def contacts(self, contacts: Iterable[Contact]) -> list[dict[str, Any]]:
        """Contacts of a contact list."""
        return [
            {
                "phone": contact.phone,
                "name": contact.name,
                "surname": contact.surname,
                "patronymic": contact.patronymic,
                "birth_date": contact.birth_date.isoformat() if contact.birth_date else None,
                "gender": contact.gender.value if contact.gender else None,
                "region": contact.region,
                "operator": contact.operator,
                "extra": list(contact.extra),
                "updated_at": self.time(contact.updated_at),
            }
            for contact in contacts
        ]

    def scheduled(self, messages: Iterable[ScheduledSms]) -> list[dict[str, Any]]:
        """Messages waiting for their send time."""
        return [
            {
                "message_id": sms.message_id,
                "phone": sms.phone,
                "text": sms.text,
                "sender": sms.sender,
                "message_type": sms.message_type,
                "parts": sms.parts,
                "campaign_name": sms.campaign_name,
                "queued_at": self.time(sms.queued_at),
                "send_at": self.time(sms.send_at),
                "valid_until": self.time(sms.valid_until),
            }
            for sms in messages
        ]

    def statistics(self, statistics: Statistics) -> dict[str, Any]:
        """The `get_statistics` response."""
        return {
            "total": statistics.total,
            "records": [self._record(record) for record in statistics.records],
        }

    def _record(self, record: StatisticsRecord) -> dict[str, Any]:
        return {
            "message_id": record.message_id,
            "part_id": record.part_id,
            "part_number": record.part_number,
            "parts": record.parts,
            "phone": record.phone,
            "operator": record.operator,
            "sender": record.sender,
            "campaign_name": record.campaign_name,
            "text": record.text,
            "status": DELIVERY_STATUS_NAMES[record.status],
            "status_text": record.status_text,
            "price": money(record.price),
            "sent_at": self.time(record.sent_at),
            "changed_at": self.time(record.changed_at),
        }

    def gateway_time(self, gateway_time: GatewayTime) -> dict[str, Any]:
        """The `get_gateway_time` response."""
        minutes = int(gateway_time.utc_offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        hours, minutes = divmod(abs(minutes), 60)
        return {
            "time": gateway_time.localize(gateway_time.local_time).isoformat(),
            "local_time": gateway_time.local_time.isoformat(),
            "utc_offset": f"{sign}{hours:02d}:{minutes:02d}",
        }


def money(value: Decimal | None) -> float | None:
    """A price or balance as a JSON number."""
    return float(value) if value is not None else None


def senders(sender_list: SenderList) -> dict[str, Any]:
    """The `get_senders` response."""
    return {
        "any_sender_allowed": sender_list.any_sender_allowed,
        "senders": [
            {"name": sender.name, "state": SENDER_STATE_NAMES[sender.state]}
            for sender in sender_list.senders
        ],
    }


def numbers(infos: Iterable[NumberInfo]) -> dict[str, Any]:
    """The `lookup_numbers` response."""
    return {
        "numbers": [
            {
                "phone": info.phone,
                "operator": info.operator,
                "region": info.region,
                "time_zone": info.time_zone,
            }
            for info in infos
        ]
    }


def contact_lists(lists: Iterable[ContactList]) -> dict[str, Any]:
    """The `get_contact_lists` response."""
    return {
        "contact_lists": [
            {
                "id": item.id,
                "name": item.name,
                "greeting_enabled": item.greeting_enabled,
                "greeting_time": item.greeting_time,
                "greeting_in_local_time": item.greeting_in_local_time,
                "greeting_days_before": item.greeting_days_before,
                "greeting_sender": item.greeting_sender,
                "greeting_text": item.greeting_text,
            }
            for item in lists
        ]
    }


def changes(items: Iterable[Change]) -> dict[str, Any]:
    """The response of an action that changes things: what happened to each item."""
    return {
        "changes": [
            {
                "key": change.key,
                "action": CHANGE_ACTION_NAMES[change.action],
                "number": change.number,
            }
            for change in items
        ]
    }


def templates(items: Iterable[Template]) -> dict[str, Any]:
    """The `get_templates` response."""
    return {"templates": [{"id": t.id, "name": t.name, "text": t.text} for t in items]}
