"""`make bench-http`: the portal under gunicorn and wrk beside a bare Django baseline.

`python -m bench.http --help` lists the steps; bench/README.md says what each measures.
"""
