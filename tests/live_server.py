"""A real HTTP server for tests that need one (a browser, curl): uvicorn in a thread on a free loopback port."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from litestar import Litestar

STARTUP_S = 20.0


@contextmanager
def serving(make_app: Callable[[str], Litestar]) -> Iterator[str]:
    """Serve the app that `make_app(base_url)` builds (it may need its own URL) and yield that URL until done."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(make_app(base_url), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_S
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            thread.join(timeout=0.05)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_S)
        listener.close()
