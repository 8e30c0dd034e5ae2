"""UTC times as the contract wants them: aware in Python, RFC 3339 with Z on the wire."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> datetime:
    """Parse an ISO 8601 / RFC 3339 time; a time without offset is taken as UTC.

    Raises ValueError on anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty time")
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise ValueError(f"time out of range: {text!r}") from None
