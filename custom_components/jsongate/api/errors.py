"""The client's one error hierarchy.

Everything the client raises for a gateway problem is a `GatewayError`; everything it
raises for bad input from the caller is an `InvalidInputError`. No message ever
contains a credential: exceptions are built from the gateway's answer or from fixed
texts, never from the request document.
"""

from __future__ import annotations


class GatewayError(Exception):
    """A jsonGate or Scorocode request did not give a usable answer."""


class AuthenticationError(GatewayError):
    """The gateway refused the login and password, the token, or the keys."""


class AccountBlockedError(GatewayError):
    """The gateway says the account is blocked."""


class RequestRefusedError(GatewayError):
    """The gateway understood the request and refused it with a text of its own.

    `gateway_text` is the gateway's message verbatim (jsonGate's `error`, Scorocode's
    `errMsg`); `code` is Scorocode's `errCode` (jsonGate has no codes).
    """

    def __init__(self, gateway_text: str, code: int | None = None) -> None:
        """Keep the gateway's own text and, for Scorocode, its code."""
        self.gateway_text = gateway_text
        self.code = code
        prefix = f"{code}: " if code is not None else ""
        super().__init__(f"The gateway refused the request: {prefix}{gateway_text}")


class CommunicationError(GatewayError):
    """The gateway could not be reached, or answered with an HTTP error.

    The request may or may not have been processed: retry only what is idempotent
    (a send is, when every abonent carries its `client_id_sms`).
    """


class RequestTimeoutError(CommunicationError):
    """The gateway did not answer in time."""


class InvalidResponseError(GatewayError):
    """The gateway answered with something that is not the documented JSON.

    An HTML page, malformed or truncated JSON, or a document with a required field
    missing or of the wrong type.
    """


class InvalidInputError(ValueError):
    """A value given to the client can't be sent: nothing was sent.

    `reason` is a stable, machine-readable code (for translations); `value` is the
    offending input as given.
    """

    reason = "invalid_input"

    def __init__(self, message: str, value: object = None, *, reason: str | None = None) -> None:
        """Keep the offending value (and a `reason` other than the class's) with the message."""
        self.value = value
        if reason is not None:
            self.reason = reason
        super().__init__(message)


class InvalidPhoneNumberError(InvalidInputError):
    """A phone number that can't be normalised to at most 15 international digits."""

    reason = "invalid_phone"


class InvalidSenderError(InvalidInputError):
    """A sender name longer than 11 characters, or a numeric one over 15 digits."""

    reason = "invalid_sender"
