"""The template filters' times: the formats written out for speed (app/filters.py) give the
same text as strftime, for any moment and any shop's time zone."""

from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from app.filters import _FORMATS, local_time

ZONES = ("Europe/Paris", "America/Cayenne", "Indian/Reunion", "Pacific/Noumea", "UTC")


@settings(deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(timezone.utc)
    ),
    zone=st.sampled_from(ZONES),
    fmt=st.sampled_from(sorted(_FORMATS)),
)
def test_a_written_out_format_reads_as_strftime(moment, zone, fmt):
    from zoneinfo import ZoneInfo

    assert local_time(moment, zone, fmt) == moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def test_another_format_still_goes_to_strftime():
    moment = datetime(2026, 3, 29, 0, 59, 59, tzinfo=timezone.utc)
    assert local_time(moment, "Europe/Paris", "%d %B %Y, %Hh%M") == "29 March 2026, 01h59"
    assert local_time(None) == ""
