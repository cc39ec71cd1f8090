def test_the_home_page_loads(client, db):
    assert client.get("/").status_code == 200
