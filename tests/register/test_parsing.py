"""The one reader of typed numbers and ids (app/services/parsing.py), with generated input:
what it accepts reads back exactly, everything else is refused with InvalidInput, and no
other exception ever comes out of it."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app import create_app
from app.money import format_euros
from app.services.errors import InvalidInput
from app.services.parsing import (
    IdConverter,
    is_digits,
    parse_amount,
    parse_id,
    parse_percent,
    parse_quantity,
    read_whole,
)
from app.services.quantities import MAX_ITEMS, MAX_KG_MILLI
from tests.support.helpers import register_config
from tests.support.typed_input import HOSTILE, hostile_text

SQLITE_MAX = 2**63 - 1


@pytest.fixture(scope="module", autouse=True)
def _babel(tmp_path_factory):
    """Messages are lazy strings: reading them needs an app (the refusal's text is checked)."""
    app = create_app(register_config(tmp_path_factory.mktemp("parsing") / "unused.sqlite"))
    with app.test_request_context():
        yield


def _outcome(parse, text):
    """The value, or the refusal's message; anything else escapes and fails the test."""
    try:
        return parse(text)
    except InvalidInput as refusal:
        assert str(refusal), "a refusal always says why"
        return refusal


def _readable(text) -> bool:
    """What the parser may accept: ASCII digits, at most one comma or point, spaces, €, %."""
    core = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return core.isascii() and core.replace(",", "", 1).replace(".", "", 1).rstrip("€%").isdigit()


cents = st.integers(min_value=0, max_value=999_999_999_99)


@given(cents, st.sampled_from([",", "."]), st.booleans(), st.booleans())
def test_an_amount_reads_back_as_written(value, separator, grouped, euro_sign):
    euros, rest = divmod(value, 100)
    whole = f"{euros:,}".replace(",", " ") if grouped else str(euros)
    text = f"{whole}{separator}{rest:02d}" + (" €" if euro_sign else "")
    assert parse_amount(text) == value
    assert parse_amount(format_euros(value)) == value  # what the screen shows can be typed back


@given(st.integers(min_value=0, max_value=99_999), st.sampled_from([",", "."]))
def test_a_weight_reads_back_in_thousandths(milli, separator):
    text = f"{milli // 1000}{separator}{milli % 1000:03d}"
    if milli == 0:
        assert isinstance(_outcome(lambda t: parse_quantity(t, "kg"), text), InvalidInput)
    else:
        assert parse_quantity(text, "kg") == milli
    assert parse_quantity(text, "kg", zero_allowed=True) == milli


@given(st.integers(min_value=1, max_value=MAX_ITEMS))
def test_a_count_of_items_reads_back(count):
    assert parse_quantity(str(count), "unit") == count * 1000
    assert parse_quantity(f"{count},0", "unit") == count * 1000


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from([",", "."]))
def test_a_percent_reads_back_in_basis_points(bp, separator):
    assert parse_percent(f"{bp // 100}{separator}{bp % 100:02d} %") == bp


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_an_id_reads_back_and_fits_sqlite(value):
    assert parse_id(str(value)) == value
    assert parse_id(f"000{value}") == value


PARSERS = {
    "amount": parse_amount,
    "quantity_unit": lambda t: parse_quantity(t, "unit"),
    "quantity_kg": lambda t: parse_quantity(t, "kg"),
    "percent": parse_percent,
}


@pytest.mark.parametrize("name", PARSERS)
@given(text=hostile_text())
@example(text="²")
@example(text="٣")
@example(text="３")
@example(text=str(10**30))
@example(text="NaN")
@example(text="-1")
def test_anything_else_is_refused_and_never_raises_another_error(name, text):
    outcome = _outcome(PARSERS[name], text)
    if not isinstance(outcome, InvalidInput):
        assert _readable(text), f"{text!r} was read as {outcome}"
        assert 0 <= outcome < SQLITE_MAX


@given(text=hostile_text())
def test_ids_and_whole_numbers_are_ascii_digits_or_nothing(text):
    value = parse_id(text)
    assert value is None or (text.strip().isascii() and 0 < value < 10**15)
    whole = read_whole(text, max_digits=6)
    assert whole is None or (text.strip().isascii() and text.strip().isdigit() and whole < 10**6)
    assert is_digits(text) == (text.isascii() and text.isdigit())


@pytest.mark.parametrize("text", HOSTILE)
def test_every_hostile_value_is_refused_with_the_domain_error(text):
    for name, parse in PARSERS.items():
        outcome = _outcome(parse, text)
        assert isinstance(outcome, InvalidInput) or _readable(text), (name, text, outcome)


def test_refusals_say_what_was_wrong_in_french():
    assert "n'est pas un montant" in str(_outcome(parse_amount, "²"))
    assert "négatif" in str(_outcome(parse_amount, "-2"))
    assert "n'est pas une quantité" in str(_outcome(lambda t: parse_quantity(t, "kg"), "٣"))
    assert "trop grande" in str(_outcome(lambda t: parse_quantity(t, "kg"), "100"))
    assert f"{MAX_KG_MILLI // 1000}" in str(_outcome(lambda t: parse_quantity(t, "kg"), "100"))
    assert "n'est pas un pourcentage" in str(_outcome(parse_percent, str(10**30)))


def test_the_url_converter_takes_only_bounded_ascii_ids():
    converter = IdConverter(None)
    assert converter.to_python("42") == 42
    import re

    pattern = re.compile(converter.regex)
    for text in ("٣", "３", "²", str(10**30), "-1", ""):
        assert not pattern.fullmatch(text)


@given(text=hostile_text())
@example(text="1 000,50 €")
@example(text="1_000")
@example(text="٣")
def test_head_office_console_reads_amounts_as_the_register_does(text):
    """Head office is a separate program with its own small reader: the two must agree."""
    from headoffice.money import parse_euros

    try:
        console = parse_euros(text)
    except ValueError:
        console = None
    register = _outcome(parse_amount, text)
    assert console == (None if isinstance(register, InvalidInput) else register), text
