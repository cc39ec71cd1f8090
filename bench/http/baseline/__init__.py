"""The bare Django app the portal is measured against: what Django itself costs a request.

Served by the same gunicorn flags as the portal, on the same PostgreSQL. No middleware, no
templates, no sessions: a JSON view without the database (/hello), one SELECT by primary
key (/one) and one INSERT whose unique constraint decides a conflict (/insert, 201 or 409).
"""
