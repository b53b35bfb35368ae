"""A local fake of the Telegram Bot API: a tiny HTTP server in a thread that records every call
and answers from a script (`fail_next` answers 500 that many times)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeBotApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.fail_next = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                method = self.path.rsplit("/", 1)[-1]
                fake.calls.append((method, payload))
                if fake.fail_next:
                    fake.fail_next -= 1
                    self._answer(500, {"ok": False, "description": "Internal Server Error"})
                elif method == "getUpdates":
                    offset = payload.get("offset", 0)
                    self._answer(
                        200, {"ok": True, "result": [u for u in fake.updates if u["update_id"] >= offset]}
                    )
                else:
                    self._answer(200, {"ok": True, "result": {"message_id": len(fake.calls)}})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def sent_to(self, chat_id: str) -> list[str]:
        return [p["text"] for m, p in self.calls if m == "sendMessage" and str(p["chat_id"]) == chat_id]

    def __enter__(self) -> FakeBotApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
