"""The JSON API: /api/v1/ (and the first three endpoints under /api/, which keep answering).

Every endpoint asks the rules core (bookings.core) as the pages do, never a copy of a rule.
Modules: `centres` (near me, a centre, its seat map), `bookings` (a person's bookings),
`tokens` (personal API tokens: services, the API and the profile page), `idempotency` (the
Idempotency-Key of every create), `auth` (token authentication), `urls` (/api/v1/).
"""
