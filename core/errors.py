"""Business errors raised by services and shown to the user by views."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the business refused the request. ``message`` is translated and safe to show.

    ``field`` names the form field the error belongs to, when there is one, so a view can put it next to that field.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class TransitionError(DomainError):
    """A state change that the transition table or the role does not allow."""


class AuthorityError(DomainError):
    """The person lacks the authority for this amount; someone further up must decide."""
