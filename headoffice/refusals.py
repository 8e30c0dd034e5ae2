"""What a service of head office's screens raises when it will not do what it was asked:
a sentence for the person (already translated), and the HTTP status the screen answers with.
Nothing was changed: the service raises before it writes, or its transaction is rolled back."""


class Refused(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


class NotAllowed(Refused):
    def __init__(self, message: str):
        super().__init__(message, 403)


class NotFound(Refused):
    def __init__(self, message: str):
        super().__init__(message, 404)
