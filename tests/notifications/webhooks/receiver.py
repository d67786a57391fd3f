"""A real HTTP receiver on loopback for webhook tests: records every request (headers and
raw body) and answers what the test scripted, in order (then 200)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        #: requests kept waiting and never answered (``hold``)
        self.held: list[dict] = []
        #: answers to give, in order: (status, headers, body); then 200
        self.script: list[tuple[int, dict, bytes]] = []
        self.lock = threading.Lock()
        #: set: the next request is kept waiting (unanswered) until ``release()``;
        #: ``holding`` says one is being kept
        self.hold = False
        self.holding = threading.Event()
        self._released = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with owner.lock:
                    held, owner.hold = owner.hold, False
                if held:
                    owner.held.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                    owner.holding.set()
                    owner._released.wait(60)
                    return  # the connection closes unanswered
                with owner.lock:
                    owner.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                    status, headers, answer = owner.script.pop(0) if owner.script else (200, {}, b"ok")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def release(self) -> None:
        self._released.set()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
