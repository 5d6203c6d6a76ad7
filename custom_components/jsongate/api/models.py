"""What the jsonGate client sends and gets back, as frozen records; times are gateway-local."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING

from .record import Record, gateway_key

if TYPE_CHECKING:
    from decimal import Decimal


class MessageType(StrEnum):
    """The kinds of message jsonGate sends (`message[].type`)."""

    SMS = "sms"
    FLASH_SMS = "flashsms"
    WAP_PUSH = "wappush"
    VCARD = "vcard"


class SendErrorKind(StrEnum):
    """Why the gateway refused one abonent of a send; stable values, fit for translation keys."""

    PROVIDER_OUT_OF_SMS = "provider_out_of_sms"
    OUT_OF_SMS = "out_of_sms"
    ACCOUNT_BLOCKED = "account_blocked"
    PHONE_MISSING = "phone_missing"
    STOP_LIST = "stop_list"
    DIRECTION_CLOSED_FOR_ACCOUNT = "direction_closed_for_account"
    DIRECTION_CLOSED = "direction_closed"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    TEXT_REJECTED = "text_rejected"
    SENDER_MISSING = "sender_missing"
    SENDER_TOO_LONG = "sender_too_long"
    PHONE_TOO_LONG = "phone_too_long"
    TEXT_MISSING = "text_missing"
    URL_MISSING = "url_missing"
    SENDER_UNKNOWN = "sender_unknown"
    SENDER_NOT_APPROVED = "sender_not_approved"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"


class DeliveryStatus(StrEnum):
    """A message's delivery status (`state[].state`)."""

    PENDING = "send"
    DELIVERED = "deliver"
    NOT_DELIVERED = "not_deliver"
    EXPIRED = "expired"
    PARTLY_DELIVERED = "partly_deliver"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        """Whether the status can no longer change."""
        return self not in (DeliveryStatus.PENDING, DeliveryStatus.UNKNOWN)


class SenderState(StrEnum):
    """Where a sender name is in the provider's approval (`list_originator[].state`)."""

    ORDERED = "order"
    APPROVED = "completed"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


class ChangeAction(StrEnum):
    """What the gateway did with one item of a change request."""

    ADDED = "add"
    INSERTED = "insert"
    EDITED = "edit"
    NOT_EDITED = "not_edit"
    DELETED = "delete"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"


class Gender(StrEnum):
    """A contact's gender: `m`/`f` in answers, `мужской`/`женский` in requests."""

    MALE = "m"
    FEMALE = "f"


class Abonent(Record):
    """One recipient of a message (`abonent[]`); times are gateway-local, or aware."""

    phone: str
    client_id_sms: int | None = None
    send_at: datetime | None = None
    valid_until: datetime | None = None


class OutgoingMessage(Record):
    """One message with its recipients (`message[]`); a WAP push's `text` describes its `url`."""

    text: str
    abonents: tuple[Abonent, ...]
    sender: str | None = None
    message_type: MessageType = MessageType.SMS
    url: str | None = None
    transliterate: bool = False  # the gateway sends Cyrillic as Latin (`translite`)
    campaign_name: str | None = None


class SendResult(Record):
    """What happened to one abonent of a send: accepted with a `message_id`, else an `error`."""

    phone: str
    client_id_sms: int
    message_id: str | None
    parts: int | None
    status: str  # the gateway's `action` verbatim: `send` or its error text
    error: SendErrorKind | None

    @property
    def accepted(self) -> bool:
        """Whether the gateway took the message (it has an id to follow)."""
        return self.message_id is not None


class SendReport(Record, kw_only=False):
    """The results of one send request, one per abonent in the order sent."""

    results: tuple[SendResult, ...]

    @property
    def accepted(self) -> tuple[SendResult, ...]:
        """The results the gateway accepted."""
        return tuple(result for result in self.results if result.accepted)

    @property
    def rejected(self) -> tuple[SendResult, ...]:
        """The results the gateway did not accept."""
        return tuple(result for result in self.results if not result.accepted)


class DeliveryState(Record):
    """The delivery status of one message (`state[]`): `changed_at` is None while pending."""

    message_id: str = gateway_key("id_sms")
    status: DeliveryStatus = gateway_key("state")
    changed_at: datetime | None = gateway_key("time")
    parts: int | None = gateway_key("num_parts")
    price: Decimal | None = gateway_key("price")  # per part


class AreaBalance(Record, kw_only=False):
    """How many SMS the whole balance would buy in one area alone (counts are not additive)."""

    area: str
    sms_available: int


class Balance(Record, kw_only=False):
    """The account's money and the SMS it buys per area."""

    money: Decimal
    currency: str
    areas: tuple[AreaBalance, ...]

    @property
    def iso_currency(self) -> str:
        """The currency as an ISO 4217 code (`RUR`, the pre-1998 code, is answered for `RUB`)."""
        code = self.currency.strip().upper()
        return "RUB" if code == "RUR" else code


class Sender(Record, kw_only=False):
    """A sender name of the account and its approval state."""

    name: str = gateway_key("originator")
    state: SenderState = gateway_key("state")


class SenderList(Record):
    """The account's senders (`originator`); with `any_sender_allowed`, any name may be used."""

    any_sender_allowed: bool
    senders: tuple[Sender, ...]

    @property
    def approved(self) -> tuple[str, ...]:
        """The names that can be used now."""
        return tuple(s.name for s in self.senders if s.state is SenderState.APPROVED)


# Real offsets are whole quarter hours: rounding to one absorbs clock skew and latency.
_OFFSET_STEP = timedelta(minutes=15)


class GatewayTime(Record, kw_only=False):
    """The gateway's clock: the account's local time and its offset from UTC."""

    local_time: datetime
    utc_offset: timedelta
    # Unrounded (the gateway's clock minus UTC): a clock put back by minutes changes it.
    clock_offset: timedelta

    @classmethod
    def learn(cls, local_time: datetime, utc_now: datetime) -> GatewayTime:
        """Learn the offset from a gateway-local time read at `utc_now`, by comparing clocks."""
        clock_offset = local_time - utc_now.astimezone(UTC).replace(tzinfo=None)
        steps = round(clock_offset / _OFFSET_STEP)
        return cls(local_time, steps * _OFFSET_STEP, clock_offset)

    def clock_at(self, moment: datetime) -> datetime:
        """The gateway's clock at the aware `moment`, as this reading lets it run on."""
        return moment.astimezone(UTC).replace(tzinfo=None) + self.clock_offset

    def localize(self, gateway_time: datetime) -> datetime:
        """Make a naive gateway-local time timezone-aware."""
        return gateway_time.replace(tzinfo=timezone(self.utc_offset))

    def to_gateway(self, moment: datetime) -> datetime:
        """Express an aware moment as a naive gateway-local time."""
        return moment.astimezone(timezone(self.utc_offset)).replace(tzinfo=None)


class IncomingSms(Record):
    """An SMS from `sender` to the account's number `recipient`, routed by its `prefix`."""

    message_id: str = gateway_key("id_sms")
    received_at: datetime = gateway_key("date_receive")
    sender: str = gateway_key("originator")
    recipient: str = gateway_key("phone", default="")
    prefix: str = gateway_key("prefix", default="")
    text: str = gateway_key("text_sms", default="")


class NumberInfo(Record):
    """What the gateway knows of a phone number (`def`)."""

    phone: str = gateway_key("phone")
    operator: str = gateway_key("operator", default="")
    region: str = gateway_key("region", default="")
    time_zone: int | None = gateway_key("time_zone")  # hours from Moscow time


class ContactListSettings(Record):
    """A contact list's name and birthday greetings (`bases[]`), sent at `greeting_time`."""

    name: str = gateway_key("name_base")
    greeting_enabled: bool = gateway_key("on_birth", default=False)
    greeting_time: str | None = gateway_key("time_birth", default=None)
    # In the contact's local time, else in the account's.
    greeting_in_local_time: bool = gateway_key("local_time_birth", default=False)
    greeting_days_before: int = gateway_key("day_before", default=0)
    greeting_sender: str | None = gateway_key("originator_birth", default=None)
    greeting_text: str | None = gateway_key("text_birth", default=None)


class ContactList(ContactListSettings):
    """A contact list of the account (`list_bases`); its name may be missing in answers."""

    name: str = gateway_key("name_base", default="")
    id: str = gateway_key("id_base")


class ContactListUpdate(ContactListSettings):
    """A contact list to create (`id` None) or change (`bases[]`)."""

    id: str | None = gateway_key("id_base", default=None)


class Contact(Record):
    """A contact of a list (`phones[]`): `extra` is `addition_1` … `addition_5`."""

    phone: str = gateway_key("phone")
    name: str | None = gateway_key("name", default=None)
    surname: str | None = gateway_key("surname", default=None)
    patronymic: str | None = gateway_key("patronymic", default=None)
    birth_date: date | None = gateway_key("date_birth", default=None)
    gender: Gender | None = gateway_key("male", default=None)
    region: str | None = gateway_key("region", default=None)
    operator: str | None = gateway_key("operator", default=None)
    extra: tuple[str | None, ...] = (None, None, None, None, None)
    updated_at: datetime | None = gateway_key("last_update", default=None)  # added or changed


class ContactPage(Record, kw_only=False):
    """One page of a contact list's contacts; `page` counts from 1."""

    page: int
    pages: int
    contacts: tuple[Contact, ...]


class Change(Record):
    """What the gateway did with one item (id or phone: `key`) of a change request."""

    key: str
    action: ChangeAction = gateway_key("action")
    number: int | None = None  # the request's index of an inserted item, to match its new id


class ScheduledSms(Record):
    """A message waiting for its send time (`list_scheduled`'s `scheduled[]`)."""

    message_id: str = gateway_key("id_sms")
    phone: str = gateway_key("phone")
    text: str = gateway_key("text_sms", default="")
    sender: str | None
    message_type: str | None
    parts: int | None = gateway_key("count_sms")
    campaign_name: str | None = gateway_key("name_delivery")
    queued_at: datetime | None = gateway_key("time_put_turn")
    send_at: datetime | None = gateway_key("time_send")
    valid_until: datetime | None = gateway_key("validity_period")


class ScheduledPage(Record, kw_only=False):
    """One page of scheduled messages; `page` counts from 1."""

    page: int
    pages: int
    messages: tuple[ScheduledSms, ...]


class StatisticsQuery(Record):
    """Which sent messages `list_stats` reports; dates default to the gateway's today."""

    date_from: date | None = gateway_key("date_start", default=None)
    date_to: date | None = gateway_key("date_stop", default=None)
    from_time: time | None = None  # from this minute of the first day
    to_time: time | None = None  # up to this minute of the last day
    status: DeliveryStatus | None = gateway_key("state", default=None)
    sender: str | None = gateway_key("originator", default=None)
    phone: str | None = gateway_key("phone", default=None)
    operator: str | None = gateway_key("operator", default=None)


class StatisticsRecord(Record):
    """One part of one sent message (`stats[]`)."""

    message_id: str = gateway_key("id_sms")
    part_id: str | None = gateway_key("id_state")
    part_number: int | None = gateway_key("part_no")
    parts: int | None = gateway_key("num_parts")
    phone: str = gateway_key("phone")
    operator: str | None = gateway_key("operator")
    sender: str | None = gateway_key("originator")
    campaign_name: str | None = gateway_key("name_delivery")
    text: str | None = gateway_key("text")
    status: DeliveryStatus = gateway_key("status", default=DeliveryStatus.UNKNOWN)
    status_text: str | None = gateway_key("status_translate")
    price: Decimal | None = gateway_key("price")  # per part
    sent_at: datetime | None = gateway_key("time")
    changed_at: datetime | None = gateway_key("time_change_state")


class Statistics(Record, kw_only=False):
    """The answer to `list_stats`: how many messages, and one record per part of each."""

    total: int
    records: tuple[StatisticsRecord, ...] = ()


class Template(Record):
    """A message template (`patterns[]`)."""

    id: str = gateway_key("id_pattern")
    name: str = gateway_key("name", default="")
    text: str = gateway_key("pattern", default="")


class TemplateUpdate(Record):
    """A template to create (`id` None) or change."""

    name: str = gateway_key("name")
    text: str = gateway_key("pattern")
    id: str | None = gateway_key("id_pattern", default=None)
