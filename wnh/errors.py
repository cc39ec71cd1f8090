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
