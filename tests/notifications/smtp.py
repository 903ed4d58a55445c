"""A local SMTP server for tests (aiosmtpd), collecting what it receives."""

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class LocalSmtpServer:
    """Runs on 127.0.0.1 on a free port while used as a context manager."""

    def __init__(self):
        self.received: list[EmailMessage] = []
        self.envelopes: list = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):
        self.envelopes.append(envelope)
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def settings(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_STARTTLS": False}

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *_exc):
        self._controller.stop()
