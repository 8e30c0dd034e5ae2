"""The template helpers made cheap (app/filters.py): the time formats written out give the
same text as strftime, for any moment and any shop's time zone; a kept address is the one
url_for gives, wherever the app is mounted."""

from datetime import datetime, timezone

from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from app.filters import _FORMATS, kept_url_for, local_time

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


def test_a_kept_address_is_url_fors_wherever_the_app_is_mounted(app):
    for root in ("", "/comptoir", ""):
        with app.test_request_context("/caisse", base_url=f"http://box{root}/"):
            for endpoint, values in (
                ("static", {"filename": "css/comptoir.css"}),
                ("register.documents", {}),
                ("register.documents", {"jour": "2026-11-27"}),  # with values: never kept
            ):
                expected = url_for(endpoint, **values)
                assert expected.startswith(f"{root}/")
                assert kept_url_for(endpoint, **values) == expected
