"""A real SMTP server in the test process (aiosmtpd), recording what it accepts.

``refuse`` maps an address to the reply its RCPT gets ("550 5.1.1 No such user",
"451 4.3.0 Try later"); ``hold_after`` makes every RCPT past that many accepted messages
wait until ``release()`` (a worker can then be killed while it waits on the server)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading

from aiosmtpd.controller import Controller

# aiosmtpd logs every command at INFO: thousands of lines for one fan-out.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Held for the test"
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK: queued"

    def release(self):
        self.hold_after = None
        self._released.set()

    def recipients(self) -> list[str]:
        with self._lock:
            return [str(m["To"]) for m in self.messages]


class SmtpServer:
    """Start, stop and start again on one port (a mail server going away and coming back)."""

    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self._controller: Controller | None = None

    def start(self):
        self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"
