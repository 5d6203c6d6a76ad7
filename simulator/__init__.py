"""A faithful local simulator of the jsonGate SMS gateway and Scorocode messaging APIs.

It is an independent implementation of both protocols, for tests and demos; it
shares no code with the integration. See README.md for the control API.
"""

from .accounts import FINAL_STATES, Account, Area, Message
from .apps import ScorocodeApp
from .clock import SimClock
from .demo import build_demo
from .faults import Fault, FaultKind
from .records import AppSmsRecord, PushRecord, RequestRecord
from .server import SimulatorServer
from .simulator import Simulator

__all__ = [
    "FINAL_STATES",
    "Account",
    "AppSmsRecord",
    "Area",
    "Fault",
    "FaultKind",
    "Message",
    "PushRecord",
    "RequestRecord",
    "ScorocodeApp",
    "SimClock",
    "Simulator",
    "SimulatorServer",
    "build_demo",
]
