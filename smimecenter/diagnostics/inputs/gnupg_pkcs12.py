"""Whether GnuPG's gpgsm will refuse the right password of a 3DES-protected .p12 file.

gpgsm (GnuPG's S/MIME tool, also in Gpg4win) derives the 3DES key of a PKCS#12 part with its own code
for RFC 7292 appendix B.2 (`string_to_key` in GnuPG's sm/minip12.c), which differs from the standard
in two ways, and then reports a bad passphrase:

- Its buffer holds 64 bytes of password: the password and its two-byte terminator as a BMPString fit
  only up to 31 characters. A longer password derives another key, for every part under the PKCS#12
  KDF (3DES and RC2 alike).
- Between the two SHA-1 blocks a 3DES key needs, step 6C adds B + 1 to each 64-byte block of I and
  writes the sum back with the fewest bytes that hold it. When the sum begins with a zero byte (about
  one block in 256; each salt gives two blocks), it lands one byte short and the key is wrong.

Both were reproduced with gpgsm 2.2.40 (tests/diagnostics/test_gnupg_pkcs12.py runs gpgsm when it is
installed); the code is the same in GnuPG's current source. The second way only touches parts under
pbeWithSHAAnd3-KeyTripleDES-CBC: a 40-bit RC2 key and the MAC key need one SHA-1 block, so no step 6C.

The check runs only with the password that opened the file, only for ASCII passwords (gpgsm retries
other character sets for the rest, which this does not model), and only up to MAX_ITERATIONS per part.
Nothing of the password is kept: the result is one word.
"""
from __future__ import annotations

import hashlib

from .model import Pkcs12Protection
from .pkcs12_structure import PBE_SHA1_3DES, PKCS12_KDF

__all__ = ["LONG_PASSWORD", "SALT", "gnupg_refusal"]

SALT = "salt"
LONG_PASSWORD = "long_password"
BLOCK = 64  # SHA-1's input block, v in RFC 7292 B.2
GNUPG_PASSWORD_BYTES = BLOCK  # 31 characters and the terminator, as a BMPString
# One SHA-1 per iteration in Python (about 0.3 us each): a file with more is not judged rather than slow.
MAX_ITERATIONS = 100_000


def gnupg_refusal(password: bytes, protection: Pkcs12Protection | None) -> str | None:
    """SALT or LONG_PASSWORD when gpgsm will call `password` wrong for this file; None otherwise."""
    parts = [bag for bag in (protection.bags if protection else ()) if bag.kdf == PKCS12_KDF and bag.salt]
    if not parts or not password or not password.isascii():
        return None
    bmp = password.decode("ascii").encode("utf-16-be") + b"\x00\x00"
    if len(bmp) > GNUPG_PASSWORD_BYTES:
        return LONG_PASSWORD
    for bag in (part for part in parts if part.scheme == PBE_SHA1_3DES):
        if bag.iterations is None or not 0 < bag.iterations <= MAX_ITERATIONS or len(bag.salt) > BLOCK:
            continue
        if _carry_block_loses_a_byte(bag.salt, bmp, bag.iterations):
            return SALT
    return None


def _carry_block_loses_a_byte(salt: bytes, bmp_password: bytes, iterations: int) -> bool:
    """RFC 7292 B.2 steps 1-6 for the key (ID 1): whether a block of I after step 6C starts with 0x00."""
    diversifier = bytes([1]) * BLOCK
    i_blocks = _fill(salt) + _fill(bmp_password)
    a = hashlib.sha1(diversifier + i_blocks).digest()
    for _ in range(iterations - 1):
        a = hashlib.sha1(a).digest()
    b = int.from_bytes((a * (BLOCK // len(a) + 1))[:BLOCK], "big")
    modulus = 1 << (8 * BLOCK)
    for start in range(0, len(i_blocks), BLOCK):
        block = (int.from_bytes(i_blocks[start:start + BLOCK], "big") + b + 1) % modulus
        if block >> (8 * (BLOCK - 1)) == 0:
            return True
    return False


def _fill(value: bytes) -> bytes:
    """Copies of `value` filling a whole number of 64-byte blocks (RFC 7292 B.2 steps 2 and 3)."""
    length = BLOCK * -(-len(value) // BLOCK)
    return (value * (length // len(value) + 1))[:length]
