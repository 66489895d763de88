from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """True when nothing listens on the port. SO_REUSEADDR as servers set it: connections still in
    TIME_WAIT from an earlier run do not make a port busy."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


_handed_out: set[int] = set()


def stable_free_port(low: int = 20000, high: int = 28000) -> int:
    """A free port a server keeps for its whole life, restarts included, chosen below the kernel's
    ephemeral range (32768 and up on Linux): a port from ``free_port()`` is an ephemeral one, which
    an outgoing connection may take between the moment it is chosen and the moment a server binds
    it again (a cluster route port, say, after ``kill -9`` and restart). Never the same port twice
    in one process. (The stacks of ./jz up and the tests use 8100–8300, 18100–19800 and 28100+.)"""
    import random

    candidates = list(range(low, high))
    random.shuffle(candidates)
    for port in candidates:
        if port not in _handed_out and port_is_free(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port between {low} and {high}")
