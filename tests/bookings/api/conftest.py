import pytest


@pytest.fixture
def api(client, professional):
    """The test client, signed in as the professional (a session, as the pages have)."""
    client.force_login(professional)
    return client
