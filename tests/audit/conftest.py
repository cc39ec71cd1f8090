"""The audit tests reuse the two companies of the company tests (owner, team, outsider)."""

from tests.companies.conftest import (  # noqa: F401
    admin_a,
    company_a,
    fortnight,
    member_a,
    pod_a,
    reservation_a,
)
