"""docker-compose.yml, checked as `docker compose config` cannot be here (no Docker): each
service's command names a module, a management command, a binary or a repository file that
exists; web has two or more replicas; there is exactly one beat; every queue a task is
routed to is consumed by a worker; secrets come from the environment; the broker never
evicts; the database is reached through PgBouncer in transaction mode."""

import configparser
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from tests import ROOT_DIR
from wnh.metrics import queue_names

ROOT = ROOT_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
# Binaries that images other than ours provide; Debian's packages install the same here.
BINARIES = {"postgres", "redis-server", "nginx", "pgbouncer", "sh"}


def binary_exists(name: str) -> bool:
    return (
        any(shutil.which(name, path=path) for path in (None, "/usr/sbin:/usr/bin:/bin:/sbin"))
        or Path(f"/usr/lib/postgresql/15/bin/{name}").exists()
    )


def repo_file(service: dict, container_path: str) -> Path | None:
    """The repository file a container path of `service` is, through its bind mounts or,
    for our image (build: .), its working directory /app."""
    for volume in service.get("volumes", []):
        source, _, target = volume.partition(":")
        target = target.split(":")[0]
        if source.startswith("./") and container_path.startswith(target + "/"):
            return ROOT / source[2:] / container_path[len(target) + 1 :]
    if service.get("build") == "." and not container_path.startswith("/"):
        return ROOT / container_path
    return None


def option(command: list[str], *names: str) -> str | None:
    for index, word in enumerate(command):
        if word in names:
            return command[index + 1]
    return None


def worker_queues() -> dict[str, set[str]]:
    return {
        name: set(option(service["command"], "--queues", "-Q").split(","))
        for name, service in SERVICES.items()
        if service.get("command", [])[:4] == ["celery", "-A", "wnh", "worker"]
    }


def check_command(name: str, service: dict) -> None:
    command = service.get("command")
    if command is None:
        assert name == "db", f"{name}: no command"
        assert "image" in service
        return
    assert isinstance(command, list), f"{name}: write the command as a list"
    program = command[0]
    if program == "gunicorn":
        assert importlib.util.find_spec("gunicorn"), "gunicorn is not installed"
        config = option(command, "--config", "-c")
        assert config, f"{name}: no --config"
        assert repo_file(service, config).is_file(), f"{name}: {config}"
        app_module = command[-1].split(":")[0]
        assert importlib.util.find_spec(app_module), f"{name}: no module {app_module}"
    elif program == "celery":
        assert command[1:3] == ["-A", "wnh"]
        assert importlib.util.find_spec("wnh.celery")
        assert command[3] in ("worker", "beat"), f"{name}: celery {command[3]}?"
        scheduler = option(command, "--scheduler", "-S")
        if scheduler:
            module, _, attribute = scheduler.partition(":")
            assert hasattr(importlib.import_module(module), attribute), scheduler
    elif program == "sh" and command[1] == "-c":
        for step in command[2].split("&&"):
            words = step.split()
            assert words[:2] == ["python", "manage.py"], f"{name}: {step}"
            assert words[2] in get_commands(), f"{name}: no management command {words[2]}"
    else:
        assert program in BINARIES, f"{name}: {program}"
        assert binary_exists(program), f"{name}: {program} is not installed"
        for word in command[1:]:
            if word.startswith("/etc/"):
                path = repo_file(service, word)
                assert path is not None, f"{name}: {word} is not from the repo"
                assert path.is_file(), f"{name}: {word} is not in the repo"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_service_command_names_something_that_exists(name):
    check_command(name, SERVICES[name])


def test_web_runs_two_or_more_replicas_behind_the_load_balancer():
    assert SERVICES["web"]["deploy"]["replicas"] >= 2
    upstream = (ROOT / "deploy/nginx/upstream.conf").read_text()
    assert re.search(r"^server web:8000\b", upstream, re.MULTILINE)
    assert "include upstream.conf;" in (ROOT / "deploy/nginx/nginx.conf").read_text()
    assert "ports" not in SERVICES["web"], "web is reached through the load balancer only"


def test_there_is_exactly_one_beat():
    beats = [
        name
        for name, service in SERVICES.items()
        if "beat" in service.get("command", [])[:4]
        or {"-B", "--beat"} & set(service.get("command", []))
    ]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_every_routed_queue_is_consumed_by_a_worker():
    consumed = set().union(*worker_queues().values())
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed == {"mail", "waitlist", "rollups", "webhooks"}
    assert set(queue_names()) <= consumed
    assert len(worker_queues()) == 4, "one worker service per kind of queue"


def test_every_task_has_a_route():
    from wnh.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if name.startswith(("bookings.", "companies.", "wnh."))}
    assert ours == set(settings.CELERY_TASK_ROUTES)


SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")


def environments():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            yield name, key, str(value)


def test_secrets_come_from_the_environment():
    for name, key, value in environments():
        if SECRET_NAME.search(key):
            assert re.fullmatch(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", value), f"{name}.{key}: {value}"
        credentials = re.search(r"://[^/@:]+:([^@]+)@", value)
        if credentials:
            assert credentials.group(1).startswith("${"), f"{name}.{key} has a password"
    required = {"DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DJANGO_ALLOWED_HOSTS"}
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in required:
        assert f"${{{variable}:?" in text, f"{variable} must be required, with no default"


def test_the_broker_never_evicts_a_message():
    command = SERVICES["redis"]["command"]
    assert option(command, "--maxmemory-policy") == "noeviction"
    assert option(command, "--appendonly") == "yes"
    app = SERVICES["web"]["environment"]
    assert app["REDIS_URL"].startswith("redis://redis:")
    assert app["REDIS_CACHE_URL"].startswith("redis://redis-cache:")


def test_the_portal_reaches_postgresql_through_pgbouncer_in_transaction_mode():
    for name, key, value in environments():
        if key == "DATABASE_URL" and name != "migrate":  # migrations go straight to db
            assert "@pgbouncer:6432/" in value, name
    assert SERVICES["web"]["environment"]["DATABASE_POOLER"] == "pgbouncer"
    ini = configparser.ConfigParser()
    ini.read(ROOT / "deploy/pgbouncer/pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert ini["databases"]["wnh"].startswith("host=db port=5432")


def test_the_image_runs_as_a_user_and_collects_the_static_files_at_build():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "collectstatic --noinput" in dockerfile
    assert dockerfile.index("collectstatic") < dockerfile.index("USER ")
