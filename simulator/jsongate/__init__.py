"""The jsonGate endpoint (`sendsmsjson.php`): decode, authenticate, dispatch by `type`.

Every answer is HTTP 200 JSON; a request-level failure is `{"error": text}`. The
checks run in this order: empty body, JSON object, credentials, blocked account,
known `type`, then the handler's own reading of its fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .account import handle_balance, handle_def, handle_incoming, handle_originator, handle_time
from .contacts import handle_bases, handle_list_bases, handle_list_phones, handle_phones
from .context import Context
from .errors import ACCOUNT_BLOCKED, BAD_FORMAT, BAD_LOGIN, NO_POST_DATA, GateError
from .messages import handle_list_scheduled, handle_scheduled, handle_state
from .sending import handle_sms
from .stats import handle_list_stats
from .stop_list import handle_list_stop, handle_stop
from .templates import handle_list_patterns, handle_patterns

if TYPE_CHECKING:
    from simulator.accounts import Account
    from simulator.simulator import Simulator

type Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "sms": handle_sms,
    "state": handle_state,
    "balance": handle_balance,
    "originator": handle_originator,
    "incoming": handle_incoming,
    "def": handle_def,
    "list_bases": handle_list_bases,
    "bases": handle_bases,
    "list_phones": handle_list_phones,
    "phones": handle_phones,
    "list_stop": handle_list_stop,
    "stop": handle_stop,
    "list_scheduled": handle_list_scheduled,
    "scheduled": handle_scheduled,
    "time": handle_time,
    "list_stats": handle_list_stats,
    "list_patterns": handle_list_patterns,
    "patterns": handle_patterns,
}


@dataclass
class GateAnswer:
    """The JSON answer plus what the request log needs to know about it."""

    payload: dict[str, Any]
    login: str | None = None
    auth: str | None = None  # "password" or "token"
    error: str | None = None


def decode(raw: bytes) -> Any:  # noqa: ANN401 - any JSON value
    """Parse a request body; None when it is empty or not JSON."""
    try:
        return json.loads(raw.decode())
    except UnicodeDecodeError, ValueError:
        return None


def request_type(body: Any) -> str | None:  # noqa: ANN401 - any JSON value
    """The `type` of a decoded request, if it has one."""
    kind = body.get("type") if isinstance(body, dict) else None
    return kind if isinstance(kind, str) else None


def handle(sim: Simulator, raw: bytes, authorization: str | None) -> GateAnswer:
    """Serve one request body; `authorization` is the HTTP header, if sent."""
    answer = GateAnswer(payload={})
    try:
        answer.payload = _serve(sim, raw, authorization, answer)
    except GateError as err:
        answer.payload = {"error": err.text}
        answer.error = err.text
    return answer


def _serve(
    sim: Simulator, raw: bytes, authorization: str | None, answer: GateAnswer
) -> dict[str, Any]:
    if not raw.strip():
        raise GateError(NO_POST_DATA)
    body = decode(raw)
    if not isinstance(body, dict):
        raise GateError(BAD_FORMAT)
    account = _authenticate(sim, body, authorization, answer)
    if account.blocked:
        raise GateError(ACCOUNT_BLOCKED)
    handler = HANDLERS.get(request_type(body) or "")
    if handler is None:
        raise GateError(BAD_FORMAT)
    return handler(Context(sim=sim, account=account, now=sim.clock.now()), body)


def _authenticate(
    sim: Simulator, body: dict[str, Any], authorization: str | None, answer: GateAnswer
) -> Account:
    """Find the account by bearer token, or else by `security.login` / `password`.

    A bearer header decides alone: with it, `security` is not looked at.
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.casefold() == "bearer":
        account = sim.account_by_token(token.strip())
        answer.auth = "token"
    else:
        security = body.get("security", {})
        if not isinstance(security, dict):
            raise GateError(BAD_FORMAT)
        login, password = security.get("login"), security.get("password")
        account = sim.accounts.get(login) if isinstance(login, str) else None
        if account is not None and account.password != password:
            account = None
        answer.auth = "password"
    if account is None:
        raise GateError(BAD_LOGIN)
    answer.login = account.login
    return account
