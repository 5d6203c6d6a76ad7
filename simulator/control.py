"""The HTTP control API under `/__simulator__/`, for a simulator in another process.

JSON in and out. Unknown accounts or messages answer 404, bad input 400 (a field the
route does not know included, so that a typo never passes unnoticed), both as
`{"error": "..."}`. Each route calls the `Simulator` method of the same purpose.

    GET    /__simulator__/state                   summary of everything
    GET    /__simulator__/clock                   {"now", "frozen"}
    POST   /__simulator__/clock/advance           {"seconds"}
    POST   /__simulator__/clock/set               {"now": ISO 8601 with offset}
    POST   /__simulator__/incoming                {"login", "originator", "text", "phone"?,
                                                   "prefix"?, "received_at"?} -> {"id_sms"}
    POST   /__simulator__/deliveries              {"state"?, "id_sms"?} -> {"finished"}
    POST   /__simulator__/delivery-delay          {"seconds": number or null}
    POST   /__simulator__/money                   {"login", "value"}
    POST   /__simulator__/accounts/{login}        {"money"?, "blocked"?, "sending_blocked"?,
                                                   "any_originator"?, "sms_quota"?,
                                                   "password"?, "token"? (null: none)}
    POST   /__simulator__/apps/{app_id}           {"client_keys"? ({platform: key}),
                                                   "message_key"?, "master_key"?,
                                                   "sessions"? (ids, opened now;
                                                   the others end)}
    GET    /__simulator__/messages/{login}        sent and scheduled SMS
    GET    /__simulator__/client-ids/{login}      {"processed": {id: n}, "seen": {id: n}}
    GET    /__simulator__/faults                  pending faults
    POST   /__simulator__/faults                  a `Fault` as JSON -> the fault
    DELETE /__simulator__/faults                  clear them
    GET    /__simulator__/requests?since=SEQ      request log (records after SEQ)
    DELETE /__simulator__/requests                clear the log
    GET    /__simulator__/pushes                  Scorocode pushes sent
    GET    /__simulator__/app-sms                 Scorocode SMS sent
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import Fault
from .formats import format_decimal

if TYPE_CHECKING:
    from .accounts import Message
    from .simulator import Simulator

PREFIX = "/__simulator__"

type Handler = Callable[[web.Request], Awaitable[Any]]

_ACCOUNT_FLAGS = ("blocked", "sending_blocked", "any_originator")
_ACCOUNT_FIELDS = ("money", *_ACCOUNT_FLAGS, "sms_quota", "password", "token")
_APP_KEYS = ("message_key", "master_key")
_APP_FIELDS = ("client_keys", *_APP_KEYS, "sessions")
_FAULT_FIELDS = ("kind", "times", "request_type", "path", "seconds", "text")


def add_routes(app: web.Application, sim: Simulator) -> None:
    """Register the control routes for `sim` on `app`."""
    api = ControlApi(sim)
    routes = [
        ("GET", "/state", api.state),
        ("GET", "/clock", api.clock),
        ("POST", "/clock/advance", api.advance_clock),
        ("POST", "/clock/set", api.set_clock),
        ("POST", "/incoming", api.add_incoming),
        ("POST", "/deliveries", api.finish_deliveries),
        ("POST", "/delivery-delay", api.set_delivery_delay),
        ("POST", "/money", api.set_money),
        ("POST", "/accounts/{login}", api.update_account),
        ("POST", "/apps/{app_id}", api.update_app),
        ("GET", "/messages/{login}", api.messages),
        ("GET", "/client-ids/{login}", api.client_ids),
        ("GET", "/faults", api.faults),
        ("POST", "/faults", api.add_fault),
        ("DELETE", "/faults", api.clear_faults),
        ("GET", "/requests", api.requests),
        ("DELETE", "/requests", api.clear_requests),
        ("GET", "/in-flight", api.in_flight),
        ("DELETE", "/in-flight", api.reset_in_flight),
        ("GET", "/pushes", api.pushes),
        ("GET", "/app-sms", api.app_sms),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, PREFIX + path, _json(handler))


def _json(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Serialize a handler's result; map lookup and input errors to 404 and 400."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.Response:
        try:
            result = await handler(request)
        except KeyError as err:
            return web.json_response({"error": f"not found: {err}"}, status=404)
        except (ValueError, TypeError, InvalidOperation) as err:
            return web.json_response({"error": str(err) or type(err).__name__}, status=400)
        return web.json_response(result)

    return wrapped


async def _body(request: web.Request, allowed: Iterable[str]) -> dict[str, Any]:
    """The JSON object sent; a field outside `allowed` is refused (400)."""
    if not request.can_read_body:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise TypeError("the body must be a JSON object")
    if unknown := set(body) - set(allowed):
        raise ValueError(f"unknown fields: {sorted(unknown)}; known: {sorted(allowed)}")
    return body


def _aware(text: Any) -> datetime:  # noqa: ANN401 - a JSON value
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError("give the time with its UTC offset")
    return moment


def _non_empty(name: str, value: Any) -> str:  # noqa: ANN401 - a JSON value
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string")
    return value


def _client_keys(value: Any) -> dict[str, str]:  # noqa: ANN401 - a JSON value
    if not isinstance(value, dict) or not value:
        raise ValueError("client_keys must be a non-empty object of platform: key")
    return {
        str(platform): _non_empty(f"client_keys.{platform}", key) for platform, key in value.items()
    }


def _sessions(value: Any) -> list[str]:  # noqa: ANN401 - a JSON value
    if not isinstance(value, list):
        raise TypeError("sessions must be a list of session ids")
    return [_non_empty("a session id", session) for session in value]


def _message_dict(message: Message) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "id_sms": str(message.id_sms),
        "state": message.state,
        "kind": message.kind,
        "sender": message.sender,
        "phone": message.phone,
        "text": message.text,
        "url": message.url,
        "parts": message.parts,
        "price": format_decimal(message.price),
        "area": message.area,
        "name_delivery": message.name_delivery,
        "client_id": message.client_id,
        "queued_at": iso(message.queued_at),
        "send_at": iso(message.send_at),
        "valid_until": iso(message.valid_until),
        "sent_at": iso(message.sent_at),
        "changed_at": iso(message.changed_at),
    }


class ControlApi:
    """Route handlers of the control API, bound to one simulator."""

    def __init__(self, sim: Simulator) -> None:
        """Serve `sim`."""
        self.sim = sim

    async def state(self, _request: web.Request) -> dict[str, Any]:
        """Summary of everything."""
        return self.sim.summary()

    async def clock(self, _request: web.Request) -> dict[str, Any]:
        """The simulator clock."""
        return {"now": self.sim.clock.now().isoformat(), "frozen": self.sim.clock.frozen}

    async def advance_clock(self, request: web.Request) -> dict[str, Any]:
        """Move the clock by `seconds`."""
        body = await _body(request, ["seconds"])
        self.sim.clock.advance(timedelta(seconds=float(body["seconds"])))
        return await self.clock(request)

    async def set_clock(self, request: web.Request) -> dict[str, Any]:
        """Move the clock to `now`."""
        body = await _body(request, ["now"])
        self.sim.clock.set(_aware(body["now"]))
        return await self.clock(request)

    async def add_incoming(self, request: web.Request) -> dict[str, Any]:
        """Deliver an incoming SMS to an account."""
        body = await _body(
            request, ["login", "originator", "text", "phone", "prefix", "received_at"]
        )
        received_at = body.get("received_at")
        id_sms = self.sim.add_incoming(
            str(body["login"]),
            originator=str(body["originator"]),
            text=str(body["text"]),
            phone=str(body.get("phone", "")),
            prefix=str(body.get("prefix", "")),
            received_at=None if received_at is None else _aware(received_at),
        )
        return {"id_sms": id_sms}

    async def finish_deliveries(self, request: web.Request) -> dict[str, Any]:
        """Finish one message (`id_sms`) or every waiting one, in `state`."""
        body = await _body(request, ["state", "id_sms"])
        state = str(body.get("state", "deliver"))
        if body.get("id_sms") is None:
            return {"finished": self.sim.finish_all_deliveries(state)}
        self.sim.finish_delivery(str(body["id_sms"]), state)
        return {"finished": 1}

    async def set_delivery_delay(self, request: web.Request) -> dict[str, Any]:
        """Deliver sent SMS automatically after `seconds` (null: only on demand)."""
        seconds = (await _body(request, ["seconds"])).get("seconds")
        self.sim.delivery_delay = None if seconds is None else timedelta(seconds=float(seconds))
        self.sim.catch_up()
        return {"seconds": seconds}

    async def set_money(self, request: web.Request) -> dict[str, Any]:
        """Set an account's balance."""
        body = await _body(request, ["login", "value"])
        self.sim.set_money(str(body["login"]), Decimal(str(body["value"])))
        return {
            "login": body["login"],
            "money": format_decimal(self.sim.account(body["login"]).money),
        }

    async def update_account(self, request: web.Request) -> dict[str, Any]:
        """Change an account's money, flags, SMS package, password or token.

        A new password or token is what the account's owner would set at the provider:
        the integration's next request with the old one is refused (try reauth by hand).
        """
        account = self.sim.account(request.match_info["login"])
        body = await _body(request, _ACCOUNT_FIELDS)
        # Everything is checked before anything changes: a 400 leaves the account as it was.
        changes: dict[str, Any] = {
            flag: bool(body[flag]) for flag in _ACCOUNT_FLAGS if flag in body
        }
        if "money" in body:
            changes["money"] = Decimal(str(body["money"]))
        if "sms_quota" in body:
            changes["sms_quota"] = None if body["sms_quota"] is None else int(body["sms_quota"])
        if "password" in body:
            changes["password"] = _non_empty("password", body["password"])
        if "token" in body:
            changes["token"] = self._free_token(account.login, body["token"])
        for name, value in changes.items():
            setattr(account, name, value)
        return next(
            summary
            for summary in self.sim.summary()["accounts"]
            if summary["login"] == account.login
        )

    def _free_token(self, login: str, token: Any) -> str | None:  # noqa: ANN401 - a JSON value
        """`token` if no other account has it (a token names one account), or None."""
        if token is None:
            return None
        if not isinstance(token, str) or not token:
            raise ValueError("token must be a non-empty string, or null for none")
        owner = self.sim.account_by_token(token)
        if owner is not None and owner.login != login:
            raise ValueError("another account has that token")
        return token

    async def update_app(self, request: web.Request) -> dict[str, Any]:
        """Change a Scorocode application's keys or its live sessions.

        What the application's owner would do in Scorocode: the integration's next request
        with an old key or an ended session is refused (try reauth by hand).
        """
        app = self.sim.apps[request.match_info["app_id"]]
        body = await _body(request, _APP_FIELDS)
        # Everything is checked before anything changes: a 400 leaves the app as it was.
        keys = {name: _non_empty(name, body[name]) for name in _APP_KEYS if name in body}
        client_keys = _client_keys(body.get("client_keys", app.client_keys))
        sessions = None if body.get("sessions") is None else _sessions(body["sessions"])
        for name, value in keys.items():
            setattr(app, name, value)
        app.client_keys = client_keys
        if sessions is not None:
            app.sessions.clear()
            for session in sessions:
                app.add_session(session)
        return next(
            summary for summary in self.sim.summary()["apps"] if summary["app_id"] == app.app_id
        )

    async def messages(self, request: web.Request) -> list[dict[str, Any]]:
        """Sent and scheduled SMS of an account."""
        return [
            _message_dict(message) for message in self.sim.messages(request.match_info["login"])
        ]

    async def client_ids(self, request: web.Request) -> dict[str, Any]:
        """How often each client_id_sms was sent, and how often it was asked for."""
        login = request.match_info["login"]
        return {
            "processed": {str(key): n for key, n in self.sim.processed_client_ids(login).items()},
            "seen": {str(key): n for key, n in self.sim.seen_client_ids(login).items()},
        }

    async def faults(self, _request: web.Request) -> list[dict[str, Any]]:
        """Pending faults."""
        return [fault.to_dict() for fault in self.sim.faults.pending]

    async def add_fault(self, request: web.Request) -> dict[str, Any]:
        """Queue a fault: {"kind", "times"?, "request_type"?, "path"?, "seconds"?, "text"?}."""
        body = await _body(request, _FAULT_FIELDS)
        return self.sim.add_fault(Fault(**body)).to_dict()

    async def clear_faults(self, _request: web.Request) -> dict[str, Any]:
        """Drop every pending fault."""
        self.sim.clear_faults()
        return {"faults": []}

    async def requests(self, request: web.Request) -> list[dict[str, Any]]:
        """The request log, optionally only after sequence number `since`."""
        since = int(request.query.get("since", "0"))
        return [record.to_dict() for record in self.sim.requests if record.seq > since]

    async def clear_requests(self, _request: web.Request) -> dict[str, Any]:
        """Forget the request log."""
        self.sim.requests.clear()
        return {"requests": 0}

    async def in_flight(self, _request: web.Request) -> dict[str, Any]:
        """JsonGate requests open now and the most open at once, by login."""
        return {
            "in_flight": {login: n for login, n in self.sim.in_flight.items() if n},
            "max_in_flight": dict(self.sim.max_in_flight),
        }

    async def reset_in_flight(self, _request: web.Request) -> dict[str, Any]:
        """Forget the maxima (the requests open now still count)."""
        self.sim.max_in_flight.clear()
        return {"max_in_flight": {}}

    async def pushes(self, _request: web.Request) -> list[dict[str, Any]]:
        """Scorocode pushes sent."""
        return [push.to_dict() for push in self.sim.pushes]

    async def app_sms(self, _request: web.Request) -> list[dict[str, Any]]:
        """Scorocode SMS sent."""
        return [sms.to_dict() for sms in self.sim.app_sms]
