"""The security tests' summary line: how many requests the fuzz sent."""


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_fuzz import SENT

    if SENT["requests"]:
        terminalreporter.write_line(f"fuzz: {SENT['requests']} requests, none answered 5xx")


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands its count to the main process, which prints the line
    (tests/conftest.py): a worker's own summary is never shown."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests.security.test_fuzz import SENT

        workeroutput["fuzz_requests"] = SENT["requests"]
