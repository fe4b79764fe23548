"""What one password try costs, in one unit, so one budget can cover every KDF of every file of a request.

The unit is one iteration of PBKDF2-HMAC-SHA-256 (RFC 8018 5.2). Other derivations are weighted by what
they cost here, measured with OpenSSL through cryptography (bench/bench_hostile.py prints the figures):
an iteration of PBKDF2-HMAC-SHA-1 costs about twice one of SHA-256 on CPUs with SHA extensions, one of
SHA-384/512 about 2.6 times; the PKCS#12 KDF (RFC 7292 Appendix B.2) hashes once per iteration and
output block, about as much as a PBKDF2 iteration of the same hash; one unit of scrypt's N·r·p (RFC 7914
section 6: 2·N BlockMix rounds of 2·r Salsa20/8 cores, p times) costs about three.

Weights are rounded up, and a bag is charged twice its iterations (a key and an IV, or two output blocks),
so a budget in these units is an upper bound on the time, not an estimate.
"""
from __future__ import annotations

_HASH_WEIGHT = {"md2": 1, "md5": 1, "sha1": 2, "sha224": 1, "sha256": 1, "sha384": 3, "sha512": 3,
                "sha512_224": 3, "sha512_256": 3}
UNKNOWN_HASH_WEIGHT = 3  # the slowest of the known ones: an unnamed digest must not be cheap
DERIVATIONS_PER_BAG = 2  # key and IV (PKCS#12 KDF, PBES1) or up to two PBKDF2 blocks (AES-256 key from SHA-1)
SCRYPT_WEIGHT = 3
# RFC 7914 section 2: scrypt needs 128·r·N bytes. OpenSSL refuses above 32 MiB by default; so do we, before
# asking it (a memory cap is no substitute for a time cap, hence the budget as well).
SCRYPT_MAX_MEMORY = 32 * 1024 * 1024


def hash_weight(name: str | None) -> int:
    return _HASH_WEIGHT.get((name or "").lower().replace("-", ""), UNKNOWN_HASH_WEIGHT)


def iterated_work(iterations: int, hash_name: str | None, *, derivations: int = DERIVATIONS_PER_BAG) -> int:
    """PBKDF1, PBKDF2, the PKCS#12 KDF and the PKCS#12 MAC: iterations times the weight of their hash."""
    return max(iterations, 0) * hash_weight(hash_name) * derivations


def scrypt_work(n: int, r: int, p: int) -> int | None:
    """None when the parameters are invalid (RFC 7914 section 2) or ask for more memory than allowed."""
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or 128 * r * n > SCRYPT_MAX_MEMORY:
        return None
    return n * r * p * SCRYPT_WEIGHT
