"""The client's errors; their messages are fixed texts or the answer's, never a credential."""

from __future__ import annotations


class GatewayError(Exception):
    """A jsonGate or Scorocode request did not give a usable answer."""


class AuthenticationError(GatewayError):
    """The gateway refused the login and password, the token, or the keys."""


class AccountBlockedError(GatewayError):
    """The gateway says the account is blocked."""


class RequestRefusedError(GatewayError):
    """The gateway refused the request with a text of its own (and, Scorocode only, a code)."""

    def __init__(self, gateway_text: str, code: int | None = None) -> None:
        """Keep the gateway's text verbatim (jsonGate's `error`, Scorocode's `errMsg`)."""
        self.gateway_text = gateway_text
        self.code = code
        prefix = f"{code}: " if code is not None else ""
        super().__init__(f"The gateway refused the request: {prefix}{gateway_text}")


class CommunicationError(GatewayError):
    """No answer or an HTTP error, yet the request may have gone through: resend only by id."""


class RequestTimeoutError(CommunicationError):
    """The gateway did not answer in time."""


class InvalidResponseError(GatewayError):
    """An answer that is not the documented JSON: HTML, malformed, a field missing or mistyped."""


class InvalidInputError(ValueError):
    """A value the client can't send (nothing was sent); `reason` is a code for translations."""

    reason = "invalid_input"

    def __init__(self, message: str, value: object = None, *, reason: str | None = None) -> None:
        """Keep the offending value, and a `reason` other than the class's, with the message."""
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
