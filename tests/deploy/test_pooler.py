"""Behind PgBouncer in transaction mode: no server-side cursors, no persistent connections."""

import pytest

from tests.deploy.probe import databases_with

PRIMARY = "postgres://wnh@pgbouncer:6432/wnh"


def test_behind_pgbouncer_there_are_no_server_side_cursors_nor_persistent_connections():
    default = databases_with(DATABASE_URL=PRIMARY, DATABASE_POOLER="pgbouncer")["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_MAX_AGE"] == 0
    assert default["OPTIONS"]["connect_timeout"] == 3


def test_straight_to_postgresql_connections_are_kept_and_cursors_allowed():
    default = databases_with(DATABASE_URL=PRIMARY)["default"]
    assert default.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    assert default["CONN_MAX_AGE"] == 60


def test_a_replica_behind_pgbouncer_follows_the_same_rules():
    replica = databases_with(
        DATABASE_URL=PRIMARY,
        DATABASE_POOLER="pgbouncer",
        DATABASE_REPLICA_URL="postgres://wnh@pgbouncer-replica:6432/wnh",
    )["replica"]
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert replica["CONN_MAX_AGE"] == 0


def test_an_unknown_pooler_stops_the_start():
    with pytest.raises(RuntimeError, match="DATABASE_POOLER must be pgbouncer"):
        databases_with(DATABASE_URL=PRIMARY, DATABASE_POOLER="pgpool")
