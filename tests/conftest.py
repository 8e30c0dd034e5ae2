"""The one conftest every test run loads first. Fixtures live in plain modules of
tests/support/ and are loaded here as plugins, so a test asks for a fixture by naming it as
a parameter and never imports it (pytest only reads pytest_plugins from this top conftest).
Each folder's conftest.py keeps what belongs to that folder alone (the browser, the
peripherals, the box, head office)."""

import os

from hypothesis import HealthCheck, settings

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.till",
    "tests.support.shop",
    "tests.support.e2e",
    "tests.support.signed_days",
]

# Generated input (hypothesis): the same examples on every run and every machine, few enough
# for two cores, no deadline (a shared CI box is slow by moments), no example database left
# behind. HYPOTHESIS_PROFILE=thorough tries many more when hunting.
settings.register_profile(
    "comptoir",
    derandomize=True,
    deadline=None,
    max_examples=50,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("comptoir"), derandomize=False, max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "comptoir"))
