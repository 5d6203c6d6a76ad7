"""Fixtures shared by every test.

pytest-homeassistant-custom-component blocks sockets in tests; this project's tests talk
real HTTP to servers they start on loopback, so sockets are enabled for every test.
Connections stay limited to 127.0.0.1 (the plugin's `socket_allow_hosts`).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Allow the test to open sockets; only 127.0.0.1 can be reached."""
