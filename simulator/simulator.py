"""The simulated world: jsonGate accounts, Scorocode apps, faults, clock and logs.

A `Simulator` holds state only; `SimulatorServer` serves it over HTTP. Tests drive it
through the methods here (or the HTTP control API, which calls the same methods).
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import lifecycle
from .accounts import SCHEDULED, SENT, Account, Ids, Incoming, Message
from .apps import SESSION_TTL, ScorocodeApp
from .clock import SimClock
from .faults import Fault, FaultQueue
from .formats import format_decimal, from_local

if TYPE_CHECKING:
    from .records import AppSmsRecord, PushRecord, RequestRecord


class Simulator:
    """Everything a simulated jsonGate provider and Scorocode backend know."""

    def __init__(self, *, clock: SimClock | None = None, page_size: int = 100) -> None:
        """Start empty: no accounts, no apps, the clock at real UTC now unless given."""
        self.clock = clock or SimClock()
        self.ids = Ids()
        self.accounts: dict[str, Account] = {}
        self.apps: dict[str, ScorocodeApp] = {}
        self.faults = FaultQueue()
        self.requests: list[RequestRecord] = []
        self.request_seq = itertools.count(1)  # never reused, even when the log is cleared
        # jsonGate requests being served right now, and the most ever at once, by login
        # (the token's account, or "" when the request names none).
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.pushes: list[PushRecord] = []
        self.app_sms: list[AppSmsRecord] = []
        self.page_size = page_size  # list_phones and list_scheduled
        # None: sent SMS wait for finish_delivery(); else they are delivered this long after.
        self.delivery_delay: timedelta | None = None
        # What a repeated client_id_sms answers in `action` besides the earlier id_sms.
        self.duplicate_action = "send"
        # Per abonent: "У нас закончились SMS. Для разрешения проблемы ...".
        self.provider_out_of_sms = False
        self.clock.subscribe(self.catch_up)

    # jsonGate accounts

    def add_account(
        self,
        login: str,
        password: str,
        *,
        token: str | None = None,
        money: Decimal | str | float = Decimal(0),
        currency: str = "RUR",
        utc_offset: timedelta = timedelta(hours=3),
    ) -> Account:
        """Create a jsonGate account; `token` enables `Authorization: Bearer`."""
        if login in self.accounts:
            raise ValueError(f"account {login!r} exists")
        account = Account(
            login=login,
            password=password,
            token=token,
            money=Decimal(str(money)),
            currency=currency,
            utc_offset=utc_offset,
            clock=self.clock,
            ids=self.ids,
        )
        self.accounts[login] = account
        return account

    def account(self, login: str) -> Account:
        """Return an account by login (KeyError if there is none)."""
        return self.accounts[login]

    def account_by_token(self, token: str) -> Account | None:
        """Return the account a bearer token belongs to, if any."""
        if not token:
            return None
        return next((acc for acc in self.accounts.values() if acc.token == token), None)

    def set_money(self, login: str, value: Decimal | str | float) -> None:
        """Set an account's balance."""
        self.accounts[login].money = Decimal(str(value))

    def add_incoming(
        self,
        login: str,
        *,
        originator: str,
        text: str,
        phone: str = "",
        prefix: str = "",
        received_at: datetime | None = None,
    ) -> str:
        """Deliver an incoming SMS to an account; returns its `id_sms`.

        `received_at` is aware, or naive in the account's local time; None is now.
        Stored with the gateway's one-second resolution.
        """
        account = self.accounts[login]
        if received_at is None:
            received_at = self.clock.now()
        elif received_at.tzinfo is None:
            received_at = from_local(received_at, account.utc_offset)
        sms = Incoming(
            id_sms=self.ids.next("incoming"),
            received_at=received_at.astimezone(UTC).replace(microsecond=0),
            originator=originator,
            prefix=prefix,
            phone=phone,
            text=text,
        )
        account.incoming.append(sms)
        return str(sms.id_sms)

    # Messages and deliveries

    def messages(self, login: str | None = None) -> list[Message]:
        """Messages (scheduled or sent) of one account or of all, oldest first."""
        self.catch_up()
        accounts = [self.accounts[login]] if login is not None else self.accounts.values()
        return sorted(
            (message for account in accounts for message in account.messages.values()),
            key=lambda message: message.id_sms,
        )

    def message(self, id_sms: str | int) -> Message:
        """Return a message by id (KeyError if no account has it)."""
        self.catch_up()
        for account in self.accounts.values():
            message = account.messages.get(int(id_sms))
            if message is not None:
                return message
        raise KeyError(id_sms)

    def finish_delivery(
        self, id_sms: str | int, state: str = "deliver", *, at: datetime | None = None
    ) -> None:
        """Give a sent message its final state (deliver, not_deliver, expired, partly_deliver).

        Raises:
            KeyError: no such message.
            ValueError: not a final state, or the message is scheduled or already final.

        """
        lifecycle.finish(self.message(id_sms), state, at or self.clock.now())

    def finish_all_deliveries(self, state: str = "deliver") -> int:
        """Finish every message waiting for a delivery report; returns how many."""
        lifecycle.check_final(state)
        waiting = [message for message in self.messages() if message.state == SENT]
        for message in waiting:
            lifecycle.finish(message, state, self.clock.now())
        return len(waiting)

    def processed_client_ids(self, login: str) -> dict[int, int]:
        """client_id_sms -> how many times it was actually sent (charged) for the account."""
        return dict(self.accounts[login].client_id_sends)

    def seen_client_ids(self, login: str) -> dict[int, int]:
        """client_id_sms -> how many times it arrived in `sms` requests (retries included)."""
        return dict(self.accounts[login].client_id_seen)

    def catch_up(self) -> None:
        """Bring time-driven state (scheduled sends, deliveries, expiry) up to the clock."""
        now = self.clock.now()
        for account in self.accounts.values():
            lifecycle.catch_up(account, now, self.delivery_delay)

    # Scorocode

    def add_scorocode_app(
        self,
        app_id: str,
        *,
        client_keys: dict[str, str],
        message_key: str,
        master_key: str,
        session_ttl: timedelta | None = SESSION_TTL,
    ) -> ScorocodeApp:
        """Create a Scorocode application; `client_keys` maps platform to key."""
        if app_id in self.apps:
            raise ValueError(f"app {app_id!r} exists")
        app = ScorocodeApp(
            app_id=app_id,
            client_keys=dict(client_keys),
            message_key=message_key,
            master_key=master_key,
            clock=self.clock,
            session_ttl=session_ttl,
        )
        self.apps[app_id] = app
        return app

    # Faults and logs

    def add_fault(self, fault: Fault) -> Fault:
        """Queue a fault for the next matching requests."""
        return self.faults.add(fault)

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.faults.clear()

    def requests_of_type(self, request_type: str) -> list[RequestRecord]:
        """Logged requests of one jsonGate `type` (or `sendpush` / `sendsms`)."""
        return [record for record in self.requests if record.request_type == request_type]

    def summary(self) -> dict[str, Any]:
        """A JSON-friendly overview of the whole state."""
        self.catch_up()
        return {
            "now": self.clock.now().isoformat(),
            "clock_frozen": self.clock.frozen,
            "delivery_delay": None
            if self.delivery_delay is None
            else self.delivery_delay.total_seconds(),
            "accounts": [_account_summary(account) for account in self.accounts.values()],
            "apps": [
                {
                    "app_id": app.app_id,
                    "users": len(app.users),
                    "devices": len(app.devices),
                    "roles": len(app.roles),
                    "sessions": sorted(app.sessions),
                }
                for app in self.apps.values()
            ],
            "faults": [fault.to_dict() for fault in self.faults.pending],
            "requests": len(self.requests),
            "max_in_flight": dict(self.max_in_flight),
            "pushes": len(self.pushes),
            "app_sms": len(self.app_sms),
        }


def _account_summary(account: Account) -> dict[str, Any]:
    states = Counter(message.state for message in account.messages.values())
    return {
        "login": account.login,
        "money": format_decimal(account.money),
        "currency": account.currency,
        "utc_offset_hours": account.utc_offset.total_seconds() / 3600,
        "blocked": account.blocked,
        "sending_blocked": account.sending_blocked,
        "any_originator": account.any_originator,
        "sms_quota": account.sms_quota,
        "areas": [
            {
                "name": area.name,
                "price": format_decimal(area.price),
                "prefixes": list(area.prefixes),
            }
            for area in account.areas
        ],
        "senders": dict(account.senders),
        "stop_list": sorted(account.stop_list),
        "messages": dict(states),
        "scheduled": states.get(SCHEDULED, 0),
        "incoming": len(account.incoming),
        "contact_lists": len(account.contact_lists),
        "templates": len(account.templates),
    }
