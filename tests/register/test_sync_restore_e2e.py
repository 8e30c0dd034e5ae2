"""The restored box with real processes: head office under gunicorn, the
box's own commands — backup, export, restore, export again, import."""

import pytest

from tests.support.e2e import box_state, close_a_day_through_the_services, received_batches
from tests.support.helpers import DEMO_BOX_TOKEN
from tests.support.processes import Box

pytestmark = pytest.mark.slow


def test_a_box_restored_from_before_its_last_export_exports_again_and_imports(tmp_path, headoffice_url):
    box = Box(tmp_path, headoffice_url, DEMO_BOX_TOKEN)
    box.flask("db", "upgrade")
    box.flask("sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111")
    day = close_a_day_through_the_services(box, 2000)
    box.flask("backup", "create")
    [backup] = sorted((box.instance / "backups").glob("comptoir-*.sqlite"))
    assert "1 journée(s)" in box.flask("sync", "export", "--person", "RESP01", "--password", "1234").stdout

    box.flask("backup", "restore", backup.name, "--yes")
    assert "État : D" in box_state(box)
    result = box.flask("sync", "export", "--person", "RESP01", "--password", "1234")
    assert "Export terminé" in result.stdout
    assert "État : A" in box_state(box)
    [batch] = received_batches(headoffice_url)
    assert [d["uuid"] for d in batch["batch"]["days"]] == [day]
    box.flask("sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111")
    assert "État : B" in box_state(box)
