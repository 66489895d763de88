"""The one exception a domain raises when a rule of the procedure refuses something.
Dependency-free, so domain code can raise it without importing a web framework."""

from __future__ import annotations


class DomainRefusal(Exception):
    """``status``: 409 when the case's state forbids it, 422 when the content does, 403 recusal."""

    def __init__(self, message: str, *, rule: str, status: int = 409, field: str | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.message, self.rule, self.status, self.field, self.details = message, rule, status, field, details
