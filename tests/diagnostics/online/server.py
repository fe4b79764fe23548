"""A local HTTP server for the online checks (tests and bench): routes set by the caller, every request recorded."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, dict[str, str], bytes] | Callable[[bytes], tuple[int, dict[str, str], bytes]]


@dataclass
class LocalServer:
    server: ThreadingHTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    delay: dict[str, float] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> str:
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.url(path)


def _handler(state: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?")[0]
            state.requests.append((self.command, self.path, body))
            if path in state.delay:
                time.sleep(state.delay[path])
            route = state.routes.get(path)
            if route is None:
                status, headers, payload = 404, {}, b"not here"
            elif callable(route):
                status, headers, payload = route(body)
            else:
                status, headers, payload = route
            try:
                self.send_response(status)
                for name, value in headers.items():
                    if name != "Omit-Length":
                        self.send_header(name, value)
                if "Omit-Length" in headers:  # a body whose size is only known by reading it
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def start_local_server() -> LocalServer:
    """Listening on 127.0.0.1 at a port the system picks."""
    state = LocalServer(server=None)  # type: ignore[arg-type]
    state.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.server.daemon_threads = True
    threading.Thread(target=state.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return state
