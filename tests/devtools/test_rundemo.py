"""`make demo` on another port links its mails there, and a SIGTERM stops its worker too."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from tests import ROOT_DIR
from tests.wnh.test_production import free_port

RUNDEMO = "devtools.management.commands.rundemo"


def test_the_demo_on_another_port_links_its_mails_there(settings, monkeypatch, db):
    monkeypatch.setenv("WNH_BASE_URL", "")  # unset, and restored after the test
    settings.DEBUG = True
    with (
        mock.patch(f"{RUNDEMO}.subprocess.Popen") as worker,
        mock.patch(f"{RUNDEMO}.call_command"),
        mock.patch(f"{RUNDEMO}.signal.signal"),
    ):
        call_command("rundemo", port="8123")
    assert settings.WNH_BASE_URL == "http://localhost:8123"
    assert os.environ["WNH_BASE_URL"] == "http://localhost:8123"  # the worker inherits it
    worker.return_value.terminate.assert_called_once()
    from django.contrib.sites.models import Site

    assert Site.objects.get_current().domain == "localhost:8123"


def test_a_base_url_set_in_the_environment_wins(settings, monkeypatch):
    from devtools.management.commands.rundemo import demo_base_url

    monkeypatch.setenv("WNH_BASE_URL", "https://demo.example")
    settings.WNH_BASE_URL = "https://demo.example"
    assert demo_base_url("127.0.0.1", "8123") == "https://demo.example"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads processes from /proc")
@pytest.mark.django_db(transaction=True)
def test_a_sigterm_to_the_demo_stops_its_worker(settings, tmp_path):
    database = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in ("WNH_BASE_URL",)}
    if database["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    env.update(DJANGO_DEBUG="true", WNH_VAR_DIR=str(tmp_path / "var"))
    port = free_port()
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "manage.py", "rundemo", "--port", str(port)],
        cwd=ROOT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        workers += _children(demo.pid)
        (worker,) = workers
        environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
        assert f"WNH_BASE_URL=http://localhost:{port}".encode() in environ

        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=40)
        assert not _alive(worker), (tmp_path / "demo.log").read_text()[-2000:]
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        for pid in workers:  # a worker left behind is killed, not leaked into the machine
            for stray in [*_children(pid), pid]:
                if _alive(stray):
                    os.kill(stray, signal.SIGKILL)
