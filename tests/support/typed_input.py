"""Hostile typed input, shared by the sweeps of the register and of head office.

Values a person, a keyboard or a script can send where a number or an id is expected, and
that Python reads in surprising ways: `"²".isdigit()` is True but `int("²")` fails;
`int("٣")` and `int("３")` succeed; 10**30 passes every Python check and overflows SQLite's
64-bit integers."""

from hypothesis import strategies as st

# Every class of trouble once: the sweeps try each in every field, one field at a time.
HOSTILE_CLASSES = (
    "²",
    "٣",
    "３",
    "12²",  # digits a person did not type as ASCII
    str(10**30),
    str(2**63),  # past 64 bits
    "-1",
    "NaN",
    "inf",
    "1e3",
    "",
    " \t",
    "x" * 5000,
    "2²" + "0" * 11,  # 13 "digits" starting with 2: a weighed-article label
    "99²" + "0" * 10,  # 13 "digits" starting with 99: a credit note
)
# More of each, for the generated examples.
HOSTILE = HOSTILE_CLASSES + (
    "1²",
    "𝟙",
    "١٢,٥",
    "9" * 19,
    "1" + "0" * 300,
    "-0,5",
    "-Infinity",
    "0x1F",
    "1_000",
    " ",
    "\t\n",
    "\u00a0",
    "\x00",
    "12,",
    ",5",
    "1,2,3",
    "%",
    "€",
)

UNICODE_DIGITS = st.characters(categories=["Nd", "No"], exclude_characters="0123456789")


def hostile_text() -> st.SearchStrategy[str]:
    """Generated values around the fixed ones: numbers too big or signed, odd digits mixed
    with ASCII ones, separators, and any text at all."""
    digits = st.text(st.sampled_from("0123456789"), min_size=1, max_size=40)
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.tuples(digits, UNICODE_DIGITS, digits).map("".join),
        st.tuples(digits, st.sampled_from(",. "), digits).map("".join),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.text(max_size=60),
    )
