"""The template helpers made cheap (app/filters.py): the time formats written out give the
same text as strftime, for any moment and any shop's time zone; a kept address is the one
url_for gives, wherever the app is mounted."""

from datetime import datetime, timezone

from flask import url_for
from hypothesis import HealthCheck, given, settings
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
                ("register.documents", {"jour": "2026-11-27"}),  # the kept address and a query
            ):
                expected = url_for(endpoint, **values)
                assert expected.startswith(f"{root}/")
                assert kept_url_for(endpoint, **values) == expected


QUERY_VALUES = st.dictionaries(
    st.text(min_size=1).filter(lambda name: not name.startswith("_")),
    st.none() | st.text() | st.integers() | st.lists(st.text(), max_size=3),
    max_size=5,
)


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=QUERY_VALUES, root=st.sampled_from(("", "/comptoir")))
def test_a_page_asked_for_with_a_query_has_url_fors_address(app, values, root):
    # The app is only read here: one for every example is what the health check warns of.
    with app.test_request_context("/caisse", base_url=f"http://box{root}/"):
        for endpoint in ("register.documents", "register.safe_operations", "reports.index"):
            assert kept_url_for(endpoint, **values) == url_for(endpoint, **values)


def test_a_page_whose_address_takes_a_value_is_left_to_url_for(app):
    with app.test_request_context("/caisse"):
        uuid = "0b8f1f9c-7d0e-4c69-9d0a-3e4bd1c7b0a1"
        assert kept_url_for("register.document", uuid=uuid, retour="/x") == url_for(
            "register.document", uuid=uuid, retour="/x"
        )
        assert kept_url_for("register.documents", _external=True) == url_for(
            "register.documents", _external=True
        )
