"""Demo data: one jsonGate account and one Scorocode app, ready to try by hand.

The same data `python -m simulator` starts with, and a convenient baseline for tests.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from .simulator import Simulator

if TYPE_CHECKING:
    from .clock import SimClock

LOGIN = "demo"
PASSWORD = "demo-password"  # noqa: S105 - a published demo credential
TOKEN = "demo-token"  # noqa: S105 - a published demo credential
APP_ID = "demo-app"
CLIENT_KEY = "demo-client"
MESSAGE_KEY = "demo-message-key"
MASTER_KEY = "demo-master-key"
SESSION_ID = "demo-session"

STOPPED_PHONE = "79160000000"


def _prefixes(*groups: str | tuple[int, int]) -> tuple[str, ...]:
    """Expand `(7910, 7919)` ranges and plain prefixes into a tuple of prefixes."""
    out: list[str] = []
    for group in groups:
        if isinstance(group, tuple):
            out.extend(str(number) for number in range(group[0], group[1] + 1))
        else:
            out.append(group)
    return tuple(out)


def build_demo(clock: SimClock | None = None) -> Simulator:
    """Return a simulator holding the demo account and app."""
    sim = Simulator(clock=clock)
    add_demo_account(sim)
    add_demo_app(sim)
    # Sent SMS are reported delivered half a minute later, as a live gateway might.
    sim.delivery_delay = timedelta(seconds=30)
    return sim


def add_demo_account(sim: Simulator) -> None:
    """Add the `demo` jsonGate account: RUR 150, four areas, senders, lists, incoming."""
    account = sim.add_account(LOGIN, PASSWORD, token=TOKEN, money=Decimal(150))
    account.add_area(
        "МТС",
        price="1.50",
        prefixes=_prefixes((7910, 7919), (7980, 7989)),
        region="Москва и Московская область",
        aliases=("MTS",),
    )
    account.add_area(
        "Мегафон",
        price="1.60",
        prefixes=_prefixes((7920, 7939)),
        region="Москва и Московская область",
        aliases=("MegaFon", "Megafon"),
    )
    account.add_area(
        "Билайн",
        price="1.70",
        prefixes=_prefixes("7903", "7905", "7906", "7909", (7960, 7968)),
        region="Новосибирская область",
        time_zone=4,
        aliases=("Beeline", "BeeLine", "Вымпелком"),
    )
    account.add_area(
        "Tele2",
        price="1.40",
        prefixes=_prefixes("7900", "7901", "7902", "7904", "7908", (7950, 7953), "7977"),
        region="Санкт-Петербург",
        aliases=("Теле2",),
    )
    for name, state in (("INFO", "completed"), ("ALERT", "completed"), ("PROMO", "order")):
        account.add_sender(name, state)
    account.add_sender("SPAM", "rejected")
    account.stop_list.add(STOPPED_PHONE)
    clients = account.add_contact_list(
        "Клиенты", originator_birth="INFO", text_birth="С днём рождения!"
    )
    account.add_contact(
        clients.id_base, "79161234567", name="Иван", surname="Петров", male="m", operator="МТС"
    )
    account.add_contact(
        clients.id_base,
        "79261234567",
        name="Мария",
        surname="Сидорова",
        male="f",
        operator="Мегафон",
    )
    account.add_template("Напоминание", "Напоминаем о встрече завтра в 10:00.")
    now = sim.clock.now()
    sim.add_incoming(
        LOGIN,
        originator="79161234567",
        text="Привет! Это входящее SMS.",
        phone="3434",
        received_at=now - timedelta(hours=1),
    )
    sim.add_incoming(
        LOGIN,
        originator="79261234567",
        text="СТОП",
        phone="3434",
        received_at=now - timedelta(minutes=10),
    )


def add_demo_app(sim: Simulator) -> None:
    """Add the `demo-app` Scorocode application with users, devices and roles."""
    app = sim.add_scorocode_app(
        APP_ID, client_keys={"js": CLIENT_KEY}, message_key=MESSAGE_KEY, master_key=MASTER_KEY
    )
    app.add_session(SESSION_ID)
    admin = app.add_role("admin")
    staff = app.add_role("staff")
    alice = app.add_user(
        "alice", email="alice@example.com", phone="79161234567", roles=[admin["_id"]]
    )
    bob = app.add_user("bob", email="bob@example.com", phone="79261234567", roles=[staff["_id"]])
    carol = app.add_user("carol", email="carol@example.com", roles=[staff["_id"]])
    app.add_device(alice["_id"], "alice-pixel", "android")
    app.add_device(alice["_id"], "alice-iphone", "ios")
    app.add_device(bob["_id"], "bob-galaxy", "android")
    app.add_device(carol["_id"], "carol-iphone", "ios")
