"""assist_over_sms.yaml: allowed phone numbers talk to Assist by SMS.

An SMS reaches Home Assistant the way it does for a user: the simulator receives it, a
poll of the account fires `jsongate_sms_received`, and the automation made from the
blueprint asks a conversation agent and answers with `jsongate.send_sms`, which the
simulator receives. The agent is Home Assistant's own (with an exposed `input_boolean`)
where the test is about controlling a device, and a recording agent where it is about
what the agent is asked and how its answer is cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import pytest
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import MATCH_ALL
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api.phone import normalize_phone
from custom_components.jsongate.api.sms_text import analyze_text
from simulator.demo import LOGIN

from .helpers import poll, use_automation_blueprint

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import Event, HomeAssistant

    from simulator import Simulator

BLUEPRINT = "jsongate/assist_over_sms.yaml"
OWNER = "79161234567"
STRANGER = "79261234567"
PIN = "2468"
LIGHT = "input_boolean.kitchen_light"


class RecordingAgent(conversation.AbstractConversationAgent):
    """A conversation agent that gives one fixed answer and remembers what it was asked."""

    def __init__(self, answer: str) -> None:
        """Answer every question with `answer`."""
        self.answer = answer
        self.asked: list[conversation.ConversationInput] = []

    @property
    def supported_languages(self) -> Literal["*"]:
        """Any language."""
        return MATCH_ALL

    async def async_process(
        self, user_input: conversation.ConversationInput
    ) -> conversation.ConversationResult:
        """Remember the question; answer it."""
        self.asked.append(user_input)
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech(self.answer)
        return conversation.ConversationResult(
            response=response, conversation_id=user_input.conversation_id
        )


@pytest.fixture
async def gateway(hass: HomeAssistant, gateway_entry: MockConfigEntry) -> MockConfigEntry:
    """The demo account, set up."""
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    return gateway_entry


async def _set_up_assist(hass: HomeAssistant) -> None:
    """Set up what Assist needs, as `default_config` does."""
    for component in ("homeassistant", "intent", "conversation"):
        assert await async_setup_component(hass, component, {})


@pytest.fixture
async def kitchen_light(hass: HomeAssistant) -> str:
    """Assist with Home Assistant's own agent, and a kitchen light exposed to it (off)."""
    await _set_up_assist(hass)
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"kitchen_light": {"name": "Kitchen light"}}}
    )
    await hass.async_block_till_done()
    async_expose_entity(hass, conversation.DOMAIN, LIGHT, should_expose=True)
    assert hass.states.get(LIGHT).state == "off"
    return LIGHT


async def _recording_agent(hass: HomeAssistant, answer: str) -> tuple[str, RecordingAgent]:
    """Register a recording agent; returns its agent id and the agent."""
    await _set_up_assist(hass)
    entry = MockConfigEntry(domain="test_agent")
    entry.add_to_hass(hass)
    agent = RecordingAgent(answer)
    conversation.async_set_agent(hass, entry, agent)
    return entry.entry_id, agent


async def _assist(
    hass: HomeAssistant, entry: MockConfigEntry, **inputs: Any
) -> list[Event[Mapping[str, Any]]]:
    """An automation from the blueprint for `entry`; returns its runs."""
    return await use_automation_blueprint(hass, BLUEPRINT, {"account": entry.entry_id, **inputs})


async def _receive(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: Simulator, sender: str, text: str
) -> None:
    """The account receives an SMS, and Home Assistant polls it."""
    simulator.add_incoming(LOGIN, originator=sender, text=text)
    await poll(hass, entry)


def _sent(simulator: Simulator) -> list[tuple[str, str]]:
    """(phone, text) of every SMS the account sent, oldest first."""
    return [(message.phone, message.text) for message in simulator.messages(LOGIN)]


async def test_allowed_number_with_pin_controls_a_device(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator, kitchen_light: str
) -> None:
    runs = await _assist(hass, gateway, allowed_numbers=["+7 (916) 123-45-67"], pin=PIN)

    await _receive(hass, gateway, simulator, OWNER, f"{PIN} turn on the kitchen light")

    assert hass.states.get(kitchen_light).state == "on"
    assert _sent(simulator) == [(OWNER, "Turned on the switch")]
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("sender", "text"),
    [
        pytest.param(OWNER, "turn on the kitchen light", id="no PIN"),
        pytest.param(OWNER, "1357 turn on the kitchen light", id="wrong PIN"),
        pytest.param(OWNER, f"{PIN}turn on the kitchen light", id="PIN not a word"),
        pytest.param(OWNER, f"turn on the kitchen light {PIN}", id="PIN at the end"),
        pytest.param(OWNER, PIN, id="PIN alone"),
        pytest.param(STRANGER, f"{PIN} turn on the kitchen light", id="other number"),
        pytest.param("BANK", f"{PIN} turn on the kitchen light", id="sender name"),
    ],
)
async def test_anything_else_changes_nothing_and_gets_no_answer(
    hass: HomeAssistant,
    *,
    gateway: MockConfigEntry,
    simulator: Simulator,
    kitchen_light: str,
    sender: str,
    text: str,
) -> None:
    runs = await _assist(hass, gateway, allowed_numbers=[OWNER], pin=PIN)

    await _receive(hass, gateway, simulator, sender, text)

    assert hass.states.get(kitchen_light).state == "off"
    assert _sent(simulator) == []
    assert runs == []


async def test_without_a_pin_every_sms_of_an_allowed_number_is_answered(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator, kitchen_light: str
) -> None:
    runs = await _assist(hass, gateway, allowed_numbers=[OWNER])

    await _receive(hass, gateway, simulator, STRANGER, "turn on the kitchen light")
    assert hass.states.get(kitchen_light).state == "off"

    await _receive(hass, gateway, simulator, OWNER, "turn on the kitchen light")
    assert hass.states.get(kitchen_light).state == "on"
    assert _sent(simulator) == [(OWNER, "Turned on the switch")]
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("allowed", "sender"),
    [
        ("+7 (916) 123-45-67", "79161234567"),
        ("8 916 123 45 67", "79161234567"),
        ("916 123-45-67", "79161234567"),
        ("0079161234567", "79161234567"),
        ("79161234567", "+79161234567"),
        ("79161234567", "89161234567"),
        ("+7 916 123 45 67", "8 (916) 123-45-67"),
    ],
)
async def test_numbers_match_however_written(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator, allowed: str, sender: str
) -> None:
    agent_id, agent = await _recording_agent(hass, "Yes.")
    await _assist(hass, gateway, allowed_numbers=["79031112233", allowed], pin=PIN, agent=agent_id)

    await _receive(hass, gateway, simulator, sender, f"{PIN} are you there?")

    assert [asked.text for asked in agent.asked] == ["are you there?"]
    assert _sent(simulator) == [(normalize_phone(sender), "Yes.")]


@pytest.mark.parametrize(
    ("allowed", "sender"),
    [
        # Refused by the integration as ambiguous: it would read as 74912345678.
        ("+84 91 234 5678", "84912345678"),
        ("+84 91 234 5678", "74912345678"),
        # Too short to be a number, even though the digits are the same.
        ("12345", "12345"),
        # Not a number at all.
        ("BANK", "BANK"),
    ],
)
async def test_what_is_not_a_number_never_matches(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator, allowed: str, sender: str
) -> None:
    agent_id, agent = await _recording_agent(hass, "Yes.")
    runs = await _assist(hass, gateway, allowed_numbers=[allowed], agent=agent_id)

    await _receive(hass, gateway, simulator, sender, "are you there?")

    assert agent.asked == []
    assert _sent(simulator) == []
    assert runs == []


async def test_each_number_has_its_own_conversation(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    agent_id, agent = await _recording_agent(hass, "OK.")
    await _assist(
        hass,
        gateway,
        allowed_numbers=[OWNER, STRANGER],
        agent=agent_id,
        language="ru",
    )

    await _receive(hass, gateway, simulator, OWNER, "Какая температура в гостиной?")
    await _receive(hass, gateway, simulator, STRANGER, "Свет на кухне включён?")
    await _receive(hass, gateway, simulator, OWNER, "А в спальне?")

    asked = [(question.text, question.language) for question in agent.asked]
    assert asked == [
        ("Какая температура в гостиной?", "ru"),
        ("Свет на кухне включён?", "ru"),
        ("А в спальне?", "ru"),
    ]
    first, other, follow_up = (question.conversation_id for question in agent.asked)
    assert first == follow_up != other
    assert _sent(simulator) == [(OWNER, "OK."), (STRANGER, "OK."), (OWNER, "OK.")]


async def test_language_left_empty_is_home_assistants(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    hass.config.language = "de"
    agent_id, agent = await _recording_agent(hass, "Ja.")
    await _assist(hass, gateway, allowed_numbers=[OWNER], agent=agent_id)

    await _receive(hass, gateway, simulator, OWNER, "Bist du da?")

    assert [question.language for question in agent.asked] == ["de"]


async def test_a_question_of_digits_stays_text(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    """Home Assistant reads templates that render a number as numbers: "0.50" is 0.5."""
    agent_id, agent = await _recording_agent(hass, "3.10")
    await _assist(hass, gateway, allowed_numbers=[OWNER], pin=PIN, agent=agent_id)

    await _receive(hass, gateway, simulator, OWNER, f"{PIN} 0.50")

    assert [question.text for question in agent.asked] == ["0.50"]
    assert _sent(simulator) == [(OWNER, "3.10")]


# Answers of every kind, longer than any part limit below.
LATIN = "The boiler room is at 18 degrees, the pump runs, the tank is full. " * 30
CYRILLIC = "В котельной 18 градусов, насос работает, бак полон. " * 20
EXTENSION = "Temperatures {min: 18, max: 22} [ok] ~ €5 " * 40
EMOJI = "Всё в порядке 👍 " * 40


@pytest.mark.parametrize("answer", [LATIN, CYRILLIC, EXTENSION, EMOJI])
@pytest.mark.parametrize("max_parts", [1, 2, 3, 10])
async def test_a_long_answer_is_cut_to_the_part_limit(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    answer: str,
    max_parts: int,
) -> None:
    agent_id, _ = await _recording_agent(hass, answer)
    await _assist(hass, gateway, allowed_numbers=[OWNER], agent=agent_id, max_parts=max_parts)

    await _receive(hass, gateway, simulator, OWNER, "status")

    (sent,) = simulator.messages(LOGIN)
    info = analyze_text(sent.text)
    assert info.parts == sent.parts == max_parts
    # Cut at the end only, with an ellipsis the encoding holds, and no room wasted
    # beyond the one unit per split kept for characters that can't straddle parts.
    ellipsis = "..." if info.encoding == "gsm7" else "…"
    assert sent.text.endswith(ellipsis)
    assert answer.startswith(sent.text.removesuffix(ellipsis).rstrip())
    assert info.remaining <= max_parts + 2 * len(ellipsis)


@pytest.mark.parametrize(
    "answer",
    [
        "Turned on the light",
        "Свет на кухне включён.",
        "👍",
        pytest.param("Ж" * 70, id="fills_the_part_exactly"),  # UCS-2: 70 in one part
    ],
)
async def test_a_short_answer_is_sent_whole(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator, answer: str
) -> None:
    agent_id, _ = await _recording_agent(hass, answer)
    await _assist(hass, gateway, allowed_numbers=[OWNER], agent=agent_id, max_parts=1)

    await _receive(hass, gateway, simulator, OWNER, "status")

    assert _sent(simulator) == [(OWNER, answer)]


async def test_russian_with_home_assistants_agent(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    """The language input reaches Home Assistant's own agent: Russian in, Russian out."""
    await _set_up_assist(hass)
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"boiler": {"name": "Котёл"}}}
    )
    await hass.async_block_till_done()
    async_expose_entity(hass, conversation.DOMAIN, "input_boolean.boiler", should_expose=True)
    await _assist(hass, gateway, allowed_numbers=[OWNER], pin=PIN, language="ru")

    await _receive(hass, gateway, simulator, OWNER, f"{PIN} включи котёл")

    assert hass.states.get("input_boolean.boiler").state == "on"
    assert _sent(simulator) == [(OWNER, "Котёл включен")]
