"""A fake Exotel on 127.0.0.1 (a port the OS picks), in a thread: it records each request and
answers what the test scripted, in order (then 202), after an optional delay."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    raw: bytes
    form: dict = field(default_factory=dict)


class FakeExotel:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[tuple[int, dict, float]] = []  # (status, JSON body, delay)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                form = dict(urllib.parse.parse_qsl(raw.decode("ascii"), encoding="utf-8"))
                fake.received.append(Received(self.path, dict(self.headers), raw, form))
                status, body, delay = (
                    fake.answers.pop(0) if fake.answers else (202, {"SMSMessage": {}}, 0)
                )
                time.sleep(delay)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, status: int, message: str = "", delay: float = 0.0) -> None:
        body = {"RestException": {"Status": status, "Message": message}} if message else {}
        self.answers.append((status, body, delay))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
