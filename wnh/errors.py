"""The base of every domain error: a rule said no, with a message a person can act on."""


class DomainError(Exception):
    """A service refused a change. Views show `message`; the API answers `status`."""

    message = "That could not be done."
    status = 409  # a conflict with the state of things, unless a subclass says otherwise
    code = "domain_error"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """A request's parameter could not be used (a month that is no month, a range too long):
    a page answers 400 with `message` (wnh/failures.py), the API the same in JSON."""

    status = 400
    code = "invalid_input"


def error_body(code: str, detail: str, errors: dict | None = None) -> dict:
    """The shape of every error answer of the API: `code` to act on, `detail` to show, and
    per field messages when the input was refused field by field."""
    body = {"code": code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return body
