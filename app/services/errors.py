"""Domain errors: what the register refuses, in words a cashier understands.

Messages are lazy translatable strings (French source, English catalog), so the same error
reads right on the kiosk, on the tablet and in the technician's terminal."""


class DomainError(Exception):
    status = 409  # the state forbids it

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(str(message))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class InvalidInput(DomainError):
    status = 422


class AuthenticationFailed(DomainError):
    status = 403


class RightMissing(DomainError):
    status = 403


class StateForbids(DomainError):
    status = 409


class HeadOfficeProblem(DomainError):
    """Head office unreachable, slow, or answering outside the contract."""

    status = 502


class StaleScreen(DomainError):
    """The page was drawn for another state (another device changed it meanwhile)."""

    status = 409
