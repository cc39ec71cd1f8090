"""The import-linter contracts in pyproject.toml hold, and they catch an import that breaks
them: each case copies the apps to a scratch folder, adds one import there, and runs
lint-imports on the copy."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import ROOT_DIR

ROOT = ROOT_DIR
PACKAGES = ("wnh", "accounts", "centres", "companies", "bookings", "devtools")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_keep_their_contracts(tree):
    result = lint_imports(tree)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "refusal"),
    [
        # A place that knows about bookings: the circle the layering took apart.
        (
            "centres/models.py",
            "from bookings.models import SeatBooking",
            "centres is not allowed to import bookings",
        ),
        # A tenant reaching up into the seat-days.
        (
            "companies/services.py",
            "from bookings.core import services",
            "companies is not allowed to import bookings",
        ),
        # A feature reaching into another instead of the rules core.
        (
            "bookings/waitlist/views.py",
            "from bookings.centre_pages import views",
            "bookings.waitlist is not allowed to import bookings.centre_pages",
        ),
        # The rules core importing a page.
        (
            "bookings/core/services.py",
            "from bookings.my_bookings import views",
            "bookings.core is not allowed to import bookings.my_bookings",
        ),
        # A rule of days asking the writes: the core's own layers.
        (
            "bookings/core/days.py",
            "from bookings.core import services",
            "bookings.core.days is not allowed to import bookings.core.services",
        ),
        # A feature asking the wiring above it: a circle through the task module.
        (
            "bookings/waitlist/views.py",
            "from bookings import tasks",
            "bookings.waitlist is not allowed to import bookings.tasks",
        ),
    ],
)
def test_lint_imports_refuses_an_import_against_the_layers(tree, module, line, refusal):
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert refusal in " ".join(result.stdout.split())
