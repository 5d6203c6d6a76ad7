"""The jsonGate client: one typed method per request type of the API, named in its docstring."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from . import answers, models
from .errors import (
    AccountBlockedError,
    AuthenticationError,
    InvalidInputError,
    InvalidResponseError,
    RequestRefusedError,
)
from .fields import Fields, format_gateway_datetime
from .models import Gender
from .outgoing import ClientIdGenerator, checked_message
from .phone import normalize_phone
from .record import Record, gateway_keys
from .transport import AUTH_STATUSES, DEFAULT_TIMEOUT, PRIORITY_OTHER, PRIORITY_SEND, JsonTransport

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Container, Iterable, Sequence

    import aiohttp

ENDPOINT = "sendsmsjson.php"
MAX_PAGES = 1000  # pages read at most: a bound for a gateway that never says "last"
_GENDER_IN_REQUESTS = {Gender.MALE: "мужской", Gender.FEMALE: "женский"}


def endpoint_url(base_url: str) -> str:
    """The `sendsmsjson.php` URL of a provider, given with or without it."""
    url = base_url.strip().rstrip("/")
    return url if url.endswith(f"/{ENDPOINT}") else f"{url}/{ENDPOINT}"


def check_answer(request_type: str, status: int, answer: object) -> Fields:
    """Raise the error an answer stands for (`{"error": "<text>"}` with HTTP 200), or return it."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if isinstance(error, str) and error.strip():
        if "логин или пароль" in error.casefold():
            raise AuthenticationError("The gateway refused the login and password")
        if "заблокирован" in error.casefold():
            raise AccountBlockedError("The gateway says the account is blocked")
        raise RequestRefusedError(error.strip())
    if error not in (None, False, ""):
        raise InvalidResponseError(f"{request_type} answer has an error that is not text")
    if status in AUTH_STATUSES:
        raise AuthenticationError(f"The gateway answered HTTP {status}")
    return Fields(answer, request_type)


def _document(record: Record, **extra: object) -> dict[str, str]:
    """A record as the gateway reads it: by `gateway_key`, with `extra`, leaving out None."""
    keys = gateway_keys(type(record))
    document = {key: getattr(record, name) for name, key in keys.items()} | extra
    return {key: _request_value(value) for key, value in document.items() if value is not None}


def _request_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Gender):
        return _GENDER_IN_REQUESTS[value]
    return value.isoformat() if isinstance(value, date) else str(value)


class JsonGateClient:
    """A client for one jsonGate account: by `token` (a Bearer header), else login and password."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        *,
        login: str = "",
        password: str = "",
        token: str | None = None,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        client_ids: ClientIdGenerator | None = None,
        utc_now: Callable[[], datetime] | None = None,
    ) -> None:
        """Talk to the provider at `url` (with or without `/sendsmsjson.php`)."""
        self._transport = JsonTransport(
            session, endpoint_url(url), verify_ssl=verify_ssl, timeout=timeout
        )
        self.login = login
        self._password = password
        self._token = token or None
        self._client_ids = client_ids or ClientIdGenerator()
        self._utc_now = utc_now or (lambda: datetime.now(UTC))
        self.gateway_time: models.GatewayTime | None = None

    def __repr__(self) -> str:
        """Name the endpoint and login, never the password or token."""
        return f"JsonGateClient({self.url!r}, login={self.login!r})"

    @property
    def url(self) -> str:
        """The `sendsmsjson.php` URL this client posts to."""
        return self._transport.url

    async def _request(
        self, request_type: str, on_leave: Callable[[], None] | None = None, /, **fields: object
    ) -> Fields:
        document: dict[str, Any] = {}
        headers: dict[str, str] = {}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        else:
            document["security"] = {"login": self.login, "password": self._password}
        document["type"] = request_type
        document.update({key: value for key, value in fields.items() if value is not None})
        status, answer = await self._transport.post(
            document,
            headers=headers,
            label=f"jsonGate {request_type}",
            priority=PRIORITY_SEND if request_type == "sms" else PRIORITY_OTHER,
            on_leave=on_leave,
        )
        return check_answer(request_type, status, answer)

    async def _list(self, request_type: str, **fields: str | list[Any]) -> tuple[Any, ...]:
        return answers.parse_list(await self._request(request_type, **fields), request_type)

    async def _change(self, request_type: str, **lists: list[Any]) -> tuple[models.Change, ...]:
        """Post a change request with those of `lists` that have items; with none, nothing."""
        fields = {name: items for name, items in lists.items() if items}
        return await self._list(request_type, **fields) if fields else ()

    def assign_client_ids(
        self, messages: Iterable[models.OutgoingMessage]
    ) -> tuple[models.OutgoingMessage, ...]:
        """Give every abonent without a `client_id_sms` a new one: retries resend these, once."""

        def with_id(abonent: models.Abonent) -> models.Abonent:
            if abonent.client_id_sms is not None:
                return abonent
            return copy.replace(abonent, client_id_sms=self._client_ids.next_id())

        return tuple(copy.replace(m, abonents=tuple(map(with_id, m.abonents))) for m in messages)

    async def send(
        self,
        messages: Sequence[models.OutgoingMessage],
        *,
        checked: bool = False,
        on_leave: Callable[[], None] | None = None,
    ) -> models.SendReport:
        """Send messages in one document (`sms`); one result per abonent, in order.

        Input is checked unless `checked`; `on_leave` is called as the request goes out.
        """
        if not messages or not all(message.abonents for message in messages):
            raise InvalidInputError("Every message needs at least one abonent")
        if not checked:
            messages = [checked_message(message) for message in messages]
        if any(abonent.client_id_sms is None for m in messages for abonent in m.abonents):
            messages = self.assign_client_ids(messages)
        numbered: list[tuple[int, models.Abonent, int]] = []
        documents = []
        for message in messages:
            document, abonents = await self._message_document(message, len(numbered) + 1)
            documents.append(document)
            numbered.extend(abonents)
        answer = await self._request("sms", on_leave, message=documents)
        return models.SendReport(answers.parse_send(answer, numbered))

    async def _message_document(
        self, message: models.OutgoingMessage, first_number: int
    ) -> tuple[dict[str, Any], list[tuple[int, models.Abonent, int]]]:
        """The `message[]` entry of a checked message, and its numbered abonents."""
        optional = {
            "sender": message.sender,
            "translite": "1" if message.transliterate else None,
            "name_delivery": message.campaign_name or None,
            "url": message.url or None,
        }
        document: dict[str, Any] = {"type": message.message_type.value, "text": message.text}
        document |= {key: value for key, value in optional.items() if value is not None}
        numbered = []
        document["abonent"] = []
        for number, abonent in enumerate(message.abonents, start=first_number):
            if (client_id := abonent.client_id_sms) is None:
                raise ValueError("Every abonent needs its client_id_sms (assign_client_ids)")
            entry = {"phone": abonent.phone, "number_sms": str(number), "client_id_sms": client_id}
            if abonent.send_at is not None:
                entry["time_send"] = await self._gateway_minutes(abonent.send_at)
            if abonent.valid_until is not None:
                entry["validity_period"] = await self._gateway_minutes(abonent.valid_until)
            document["abonent"].append(entry)
            numbered.append((number, abonent, client_id))
        return document, numbered

    async def _gateway_minutes(self, moment: datetime) -> str:
        return format_gateway_datetime(await self.to_gateway_time(moment), seconds=False)

    async def to_gateway_time(self, moment: datetime) -> datetime:
        """`moment` as the gateway's naive local time, reading its offset first if unknown."""
        if moment.tzinfo is None:
            return moment
        return (self.gateway_time or await self.get_time()).to_gateway(moment)

    async def get_delivery_states(
        self, message_ids: Iterable[str], *, final_only: bool = False
    ) -> tuple[models.DeliveryState, ...]:
        """The delivery status of each message (`state`); with `final_only`, the final ones."""
        if not (ids := list(message_ids)):
            return ()
        answer = await self._request("state", get_state=ids)
        return answers.parse_states(answer, final_only=final_only)

    async def get_balance(self) -> models.Balance:
        """The money left and the SMS it buys per area (`balance`)."""
        return answers.parse_balance(await self._request("balance"))

    async def get_senders(self) -> models.SenderList:
        """The account's sender names and their approval (`originator`)."""
        return answers.parse_senders(await self._request("originator"))

    async def get_time(self) -> models.GatewayTime:
        """The account's local time and its offset from UTC (`time`), kept in `gateway_time`."""
        local_time = answers.parse_gateway_time(await self._request("time"))
        self.gateway_time = models.GatewayTime.learn(local_time, self._utc_now())
        return self.gateway_time

    async def get_incoming(
        self, start: datetime, end: datetime | None = None, *, known: Container[str] = ()
    ) -> tuple[models.IncomingSms, ...]:
        """SMS received strictly between naive gateway-local `start` and `end` (`incoming`).

        Oldest first, to the second; ids in `known` are left out unread.
        """
        window = {"start": format_gateway_datetime(start)}
        if end is not None:
            window["end"] = format_gateway_datetime(end)
        return answers.parse_incoming(await self._request("incoming", time=window), known)

    async def lookup_numbers(self, phones: Iterable[str]) -> tuple[models.NumberInfo, ...]:
        """Operator, region and time zone of each number (`def`)."""
        numbers = [normalize_phone(phone) for phone in phones]
        return await self._list("def", phones=numbers) if numbers else ()

    async def get_contact_lists(self) -> tuple[models.ContactList, ...]:
        """The account's contact lists (`list_bases`)."""
        return await self._list("list_bases")

    async def save_contact_lists(
        self, updates: Iterable[models.ContactListUpdate] = (), delete_ids: Iterable[str] = ()
    ) -> tuple[models.Change, ...]:
        """Create (numbered as the answer's `number`) or change lists, delete others (`bases`)."""
        bases = [
            _document(update, number_base=None if update.id is not None else str(number))
            for number, update in enumerate(updates, start=1)
        ]
        deletes = [{"id_base": list_id} for list_id in delete_ids]
        return await self._change("bases", bases=bases, delete_bases=deletes)

    async def get_contacts(
        self, list_id: str, page: int = 1, updated_since: datetime | None = None
    ) -> models.ContactPage:
        """One page of a contact list's contacts (`list_phones`), pages from 1."""
        base: dict[str, str] = {"id_base": list_id, "page": str(page)}
        if updated_since is not None:
            base["last_update"] = format_gateway_datetime(updated_since)
        return answers.parse_contact_page(await self._request("list_phones", base=base))

    async def get_all_contacts(
        self, list_id: str, updated_since: datetime | None = None
    ) -> tuple[models.Contact, ...]:
        """Every contact of a contact list, reading page after page."""
        pages = await _all_pages(lambda number: self.get_contacts(list_id, number, updated_since))
        return tuple(contact for page in pages for contact in page.contacts)

    async def save_contacts(
        self,
        list_id: str,
        contacts: Iterable[models.Contact] = (),
        delete_phones: Iterable[str] = (),
    ) -> tuple[models.Change, ...]:
        """Add or change (by phone) contacts of a list, and delete others (`phones`)."""
        phones = [
            _document(
                contact,
                phone=normalize_phone(contact.phone),
                last_update=None,  # the gateway's to set
                **{f"addition_{n}": value for n, value in enumerate(contact.extra, start=1)},
            )
            for contact in contacts
        ]
        phones += [{"phone": normalize_phone(phone), "action": "delete"} for phone in delete_phones]
        for number, phone in enumerate(phones, start=1):
            phone["number_phone"] = str(number)
        return await self._list("phones", id_base=list_id, phones=phones) if phones else ()

    async def get_stop_list(self) -> tuple[str, ...]:
        """The numbers in the account's stop list (`list_stop`)."""
        phones = (await self._request("list_stop")).array("phones", required=False)
        if any(isinstance(phone, bool) or not isinstance(phone, str | int) for phone in phones):
            raise InvalidResponseError("list_stop.phones has an entry that is not a number")
        return tuple(str(phone) for phone in phones)

    async def update_stop_list(
        self, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> tuple[models.Change, ...]:
        """Add numbers to the stop list and remove others (`stop`)."""
        return await self._change(
            "stop",
            add_stop=[normalize_phone(phone) for phone in add],
            delete_stop=[normalize_phone(phone) for phone in remove],
        )

    async def get_scheduled(self, page: int = 1) -> models.ScheduledPage:
        """One page of the messages waiting for their send time (`list_scheduled`)."""
        return answers.parse_scheduled_page(await self._request("list_scheduled", page=str(page)))

    async def get_all_scheduled(self) -> tuple[models.ScheduledSms, ...]:
        """Every scheduled message, reading page after page."""
        pages = await _all_pages(self.get_scheduled)
        return tuple(message for page in pages for message in page.messages)

    async def cancel_scheduled(self, message_ids: Iterable[str]) -> tuple[models.Change, ...]:
        """Delete scheduled messages before they are sent (`scheduled`)."""
        deletes = [{"id_sms": message_id} for message_id in message_ids]
        return await self._change("scheduled", delete_schedule=deletes)

    async def get_statistics(
        self, query: models.StatisticsQuery | None = None
    ) -> models.Statistics:
        """Per-part records of sent messages (`list_stats`; the last three months)."""
        query = query or models.StatisticsQuery()
        start, end, phone = query.from_time, query.to_time, query.phone
        stats = _document(
            query,
            phone=phone and normalize_phone(phone),
            from_hour=start and f"{start.hour:02d}",
            from_minute=start and f"{start.minute:02d}",
            to_hour=end and f"{end.hour:02d}",
            to_minute=end and f"{end.minute:02d}",
        )
        stats = {key: value for key, value in stats.items() if value}
        return answers.parse_statistics(await self._request("list_stats", stats=stats))

    async def get_templates(self) -> tuple[models.Template, ...]:
        """The account's message templates (`list_patterns`)."""
        return await self._list("list_patterns")

    async def save_templates(
        self, updates: Iterable[models.TemplateUpdate] = (), delete_ids: Iterable[str] = ()
    ) -> tuple[models.Change, ...]:
        """Create or change templates and delete others (`patterns`)."""
        patterns = [
            _document(update, number_pattern=None if update.id is not None else str(number))
            for number, update in enumerate(updates, start=1)
        ]
        deletes = [{"id_pattern": template_id} for template_id in delete_ids]
        return await self._change("patterns", patterns=patterns, delete_patterns=deletes)


async def _all_pages[P: (models.ContactPage, models.ScheduledPage)](
    fetch: Callable[[int], Awaitable[P]],
) -> list[P]:
    """Pages 1, 2, … up to the last one the gateway announces (at most `MAX_PAGES`)."""
    pages = [await fetch(1)]
    while len(pages) < min(pages[-1].pages, MAX_PAGES):
        pages.append(await fetch(len(pages) + 1))
    return pages
