"""Every reference a file makes is one a reader of the repository can follow: comments and
docstrings point to `docs/` (docs/flows.md for the screens' rules), never to the design notes or
the manuals the project was written from, which a clone does not have. The class of problem,
whatever the file: a path out of the repository, or a design note's name no file here has."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Design notes and manuals that lived beside the repository, never inside it.
OUTSIDE_DOCUMENTS = ("FLOWS.md", "ARCHITECTURE.md", "STACK.md", "NF525.md", "STYLE.md")
OUTSIDE_PATHS = re.compile(r"\.\./shared|shared/design|shared/reference|/work/|manual 00\d")
# This file names them to look for them.
SELF = Path(__file__).resolve().relative_to(ROOT).as_posix()


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [name for name in listed.stdout.decode().split("\0") if name]


def outside_references(text: str, present: set[str]) -> list[str]:
    """What `text` points to outside the repository: paths, and design notes not present."""
    found = [match.group(0) for match in OUTSIDE_PATHS.finditer(text)]
    found += [name for name in OUTSIDE_DOCUMENTS if name not in present and name in text]
    return found


def test_no_file_outside_docs_points_out_of_the_repository():
    files = tracked_files()
    present = {Path(name).name for name in files}
    pointing_out = []
    for name in files:
        if name.startswith("docs/") or name == SELF:
            continue
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for line_number, line in enumerate(text.splitlines(), 1):
            for reference in outside_references(line, present):
                pointing_out.append(f"{name}:{line_number}: {reference}")
    assert pointing_out == [], "point to docs/ instead:\n" + "\n".join(pointing_out)


@pytest.mark.parametrize(
    "line",
    [
        '"""The register\'s states (FLOWS.md §2)."""',
        "# see ../shared/design/STYLE.md",
        "# the transaction recipe of STYLE.md",
        "# Runtime (see /work/shared/design/STACK.md)",
        "Fermer la caisse (manual 000 §3)",
    ],
)
def test_the_guard_sees_a_reference_out_of_the_repository(line):
    assert outside_references(line, present={"README.md"})


def test_a_design_note_kept_in_the_repository_may_be_named():
    assert outside_references("# as STYLE.md says", present={"STYLE.md"}) == []
    assert outside_references('"""The register\'s states (docs/flows.md)."""', present=set()) == []
