"""SSH keys: recognised and named, since people often paste them where a certificate is wanted."""

from __future__ import annotations

from . import events
from .collector import Collector

# Public key algorithm names of the one-line authorized_keys form (RFC 4253 6.6, RFC 5656, RFC 8709)
_PUBLIC_KEY_TYPES = (
    "ssh-rsa", "ssh-dss", "ssh-ed25519", "ssh-ed448",
    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)
_RFC4716_BEGIN = "---- BEGIN SSH2 PUBLIC KEY ----"  # RFC 4716 3.2
_PUTTY = "PuTTY-User-Key-File-"


def find_ssh_key(text: str) -> tuple[str, bool] | None:
    """(key type, is private) of the first SSH key in the text, if any."""
    # the base64 of every SSH public key starts with the length of its type name: "AAAA"
    if " AAAA" in text:
        for key_type in _PUBLIC_KEY_TYPES:
            if f"{key_type} AAAA" in text:
                return key_type, False
    if _RFC4716_BEGIN in text:
        return "SSH2 public key", False
    if _PUTTY in text:
        return "PuTTY private key", True
    return None


def report_ssh_key(collector: Collector, origin: str, key_type: str, private: bool) -> None:
    collector.event(events.INPUT_SSH_KEY, origin=origin, key_type=key_type, private=private)
    if private:
        collector.event(
            events.INPUT_PRIVATE_KEY_PRESENT,
            origin=origin, key_type="OpenSSH" if key_type == "OpenSSH private key" else "SSH",
            key_size=None, curve=None, encrypted=False,
        )
