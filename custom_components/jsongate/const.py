"""Constants for the jsonGate SMS & Push integration."""

from typing import Final

DOMAIN: Final = "jsongate"
