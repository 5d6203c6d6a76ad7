"""jsonGate account state: money, areas, senders, messages, lists, templates, incoming.

Plain data plus the few lookups the request handlers share. Times are aware UTC;
conversion to the account's local time happens only in answers (see `formats`).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import datetime, timedelta

    from .clock import SimClock

SCHEDULED = "scheduled"  # internal only: reported as `send` by `state`
SENT = "send"
FINAL_STATES = frozenset({"deliver", "not_deliver", "expired", "partly_deliver"})
SENDER_STATES = frozenset({"order", "completed", "rejected"})

BASE_FIELDS = (
    "name_base",
    "time_birth",
    "local_time_birth",
    "day_before",
    "originator_birth",
    "on_birth",
    "text_birth",
)
BASE_DEFAULTS = {
    "name_base": "",
    "time_birth": "12:00",
    "local_time_birth": "no",
    "day_before": "0",
    "originator_birth": "",
    "on_birth": "no",
    "text_birth": "",
}
CONTACT_FIELDS = (
    "region",
    "operator",
    "name",
    "surname",
    "patronymic",
    "date_birth",
    "male",
    "addition_1",
    "addition_2",
    "addition_3",
    "addition_4",
    "addition_5",
)

_ID_STARTS = {"sms": 100000001, "part": 1200000001, "incoming": 5001, "base": 1001}


class Ids:
    """Increasing numeric ids, one sequence per kind, shared by all accounts.

    Like a database's auto-increment columns: ids never repeat across accounts.
    """

    def __init__(self) -> None:
        """Start every sequence at a realistic-looking number."""
        self._counters: dict[str, Iterator[int]] = {}

    def next(self, kind: str) -> int:
        """Return the next id of `kind`."""
        counter = self._counters.setdefault(kind, itertools.count(_ID_STARTS.get(kind, 101)))
        return next(counter)


@dataclass
class Area:
    """A direction (operator) the account can send to, with its price per part."""

    name: str
    price: Decimal
    prefixes: tuple[str, ...]
    region: str = ""
    time_zone: int = 0  # hours relative to Moscow, as `def` reports it
    aliases: tuple[str, ...] = ()  # other spellings `list_stats` accepts as `operator`
    closed: bool = False  # "Данное направление закрыто."
    denied: bool = False  # "Данное направление закрыто для вас."

    def answers_to(self, operator: str) -> bool:
        """Whether `operator` (case-insensitive) names this area."""
        wanted = operator.strip().casefold()
        return any(wanted == name.strip().casefold() for name in (self.name, *self.aliases))


@dataclass
class Message:
    """One SMS to one abonent: scheduled, sent, or in a final delivery state."""

    id_sms: int
    kind: str  # sms, flashsms, wappush, vcard
    sender: str
    text: str  # as sent: after transliteration
    url: str
    phone: str
    parts: int
    price: Decimal  # per part
    area: str
    name_delivery: str
    client_id: int | None
    queued_at: datetime
    send_at: datetime | None  # requested `time_send`; None = at once
    valid_until: datetime | None
    part_ids: list[int]
    state: str = SENT
    sent_at: datetime | None = None  # None while scheduled
    changed_at: datetime | None = None  # when the final state was reached

    @property
    def cost(self) -> Decimal:
        """Money charged for the whole message."""
        return self.price * self.parts


@dataclass
class Contact:
    """An abonent in a contact list (`base`)."""

    phone: str
    fields: dict[str, str]
    last_update: datetime


@dataclass
class ContactList:
    """A contact list (`base`) with its birthday-greeting settings and abonents."""

    id_base: int
    settings: dict[str, str]
    contacts: dict[str, Contact] = field(default_factory=dict)


@dataclass
class Template:
    """An SMS template (`pattern`)."""

    id_pattern: int
    name: str
    pattern: str


@dataclass
class Incoming:
    """An SMS received by the account."""

    id_sms: int
    received_at: datetime
    originator: str
    prefix: str
    phone: str
    text: str


@dataclass
class Account:
    """A jsonGate customer account and everything the gateway keeps for it."""

    login: str
    password: str
    token: str | None
    money: Decimal
    currency: str
    utc_offset: timedelta
    clock: SimClock = field(repr=False)
    ids: Ids = field(repr=False)
    blocked: bool = False  # every request: "Ваш аккаунт заблокирован"
    sending_blocked: bool = False  # per abonent: "Аккаунт заблокирован."
    any_originator: bool = False
    sms_quota: int | None = None  # parts left in an SMS package; None = no package
    forbidden_words: set[str] = field(default_factory=set)  # moderation rejects these
    areas: list[Area] = field(default_factory=list)
    senders: dict[str, str] = field(default_factory=dict)  # name -> order/completed/rejected
    stop_list: set[str] = field(default_factory=set)
    messages: dict[int, Message] = field(default_factory=dict)
    # client_id_sms -> the message sent for it (kept even if a scheduled one is cancelled)
    client_ids: dict[int, Message] = field(default_factory=dict)
    client_id_sends: Counter[int] = field(default_factory=Counter)
    client_id_seen: Counter[int] = field(default_factory=Counter)
    incoming: list[Incoming] = field(default_factory=list)
    contact_lists: dict[int, ContactList] = field(default_factory=dict)
    templates: dict[int, Template] = field(default_factory=dict)

    def add_area(
        self,
        name: str,
        *,
        price: Decimal | str | float,
        prefixes: Iterable[str],
        region: str = "",
        time_zone: int = 0,
        aliases: Iterable[str] = (),
        closed: bool = False,
        denied: bool = False,
    ) -> Area:
        """Add a direction with its price per part and the phone prefixes it serves."""
        area = Area(
            name=name,
            price=Decimal(str(price)),
            prefixes=tuple(prefixes),
            region=region,
            time_zone=time_zone,
            aliases=tuple(aliases),
            closed=closed,
            denied=denied,
        )
        self.areas.append(area)
        return area

    def add_sender(self, name: str, state: str = "completed") -> None:
        """Register a sender name in a moderation state (order, completed, rejected)."""
        if state not in SENDER_STATES:
            raise ValueError(f"sender state must be one of {sorted(SENDER_STATES)}")
        self.senders[name] = state

    def area_for(self, phone: str) -> Area | None:
        """Return the area serving `phone` (longest matching prefix), if any."""
        best: Area | None = None
        best_length = 0
        for area in self.areas:
            for prefix in area.prefixes:
                if phone.startswith(prefix) and len(prefix) > best_length:
                    best, best_length = area, len(prefix)
        return best

    def add_contact_list(self, name: str, **settings: str) -> ContactList:
        """Create a contact list; `settings` are other `bases` fields (time_birth, ...)."""
        unknown = set(settings) - set(BASE_FIELDS)
        if unknown:
            raise ValueError(f"unknown contact list fields: {sorted(unknown)}")
        contact_list = ContactList(
            id_base=self.ids.next("base"),
            settings={**BASE_DEFAULTS, **settings, "name_base": name},
        )
        self.contact_lists[contact_list.id_base] = contact_list
        return contact_list

    def add_contact(self, id_base: int, phone: str, **fields: str) -> Contact:
        """Add or replace an abonent of a contact list; `male` takes `m`/`f`."""
        unknown = set(fields) - set(CONTACT_FIELDS)
        if unknown:
            raise ValueError(f"unknown contact fields: {sorted(unknown)}")
        contact = Contact(
            phone=phone,
            fields={name: fields.get(name, "") for name in CONTACT_FIELDS},
            last_update=self.clock.now(),
        )
        self.contact_lists[id_base].contacts[phone] = contact
        return contact

    def add_template(self, name: str, pattern: str) -> Template:
        """Create an SMS template."""
        template = Template(id_pattern=self.ids.next("pattern"), name=name, pattern=pattern)
        self.templates[template.id_pattern] = template
        return template

    def scheduled(self) -> list[Message]:
        """Messages waiting for their `time_send`, in the order they will go out."""
        waiting = [m for m in self.messages.values() if m.state == SCHEDULED]
        return sorted(waiting, key=lambda m: (m.send_at, m.id_sms))
