"""Fixtures of the online checks: a local HTTP server, and no name resolution beyond this machine."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from .server import start_local_server


@pytest.fixture
def local_server():
    state = start_local_server()
    yield state
    state.stop()


@pytest.fixture(autouse=True)
def no_names_beyond_this_machine(monkeypatch):
    """Tests never reach beyond this machine: resolving any name but localhost fails loudly."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise AssertionError(f"a test tried to resolve {host}") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
