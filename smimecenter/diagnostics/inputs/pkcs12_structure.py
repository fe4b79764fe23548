"""Reading how a PKCS#12 file is protected from its structure alone, before any key derivation.

RFC 7292: a PFX holds an AuthenticatedSafe (a sequence of ContentInfo), each either plain data holding
SafeBags or EncryptedData whose SafeBags can only be seen after decryption; keys usually sit in plain data
as PKCS#8 shrouded key bags (RFC 7292 4.2.2), certificates usually in EncryptedData (RFC 7292 4.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asn1crypto import algos, core, pkcs12

from .errors import PARSE_ERRORS
from .kdf_work import iterated_work, scrypt_work
from .model import BagProtection, Pkcs12Protection

MAX_BAGS = 256  # across the whole file: a real one holds a handful; more is a crafted file
MAX_NESTING = 4  # RFC 7292 4.2.6 lets bags hold bags; real files do not nest at all
OID_PBMAC1 = "1.2.840.113549.1.5.14"  # RFC 9579: MAC keyed by PBKDF2, its iterations in the parameters
OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"  # RFC 7914 section 7: scrypt as a PBES2 key-derivation function


class ScryptParams(core.Sequence):
    """RFC 7914 section 7.1 scrypt-params."""

    _fields = [
        ("salt", core.OctetString),
        ("cost_parameter", core.Integer),
        ("block_size", core.Integer),
        ("parallelization_parameter", core.Integer),
        ("key_length", core.Integer, {"optional": True}),
    ]

# RFC 7292 Appendix C names of the PKCS#12 password-based schemes
_PKCS12_SCHEMES = {
    "pkcs12_sha1_tripledes_3key": "pbeWithSHAAnd3-KeyTripleDES-CBC",
    "pkcs12_sha1_tripledes_2key": "pbeWithSHAAnd2-KeyTripleDES-CBC",
    "pkcs12_sha1_rc2_128": "pbeWithSHAAnd128BitRC2-CBC",
    "pkcs12_sha1_rc2_40": "pbeWithSHAAnd40BitRC2-CBC",
    "pkcs12_sha1_rc4_128": "pbeWithSHAAnd128BitRC4",
    "pkcs12_sha1_rc4_40": "pbeWithSHAAnd40BitRC4",
}
PBE_SHA1_3DES = _PKCS12_SCHEMES["pkcs12_sha1_tripledes_3key"]
PKCS12_KDF = "PKCS#12 KDF"  # BagProtection.kdf of the schemes above (RFC 7292 appendix B.2)
# RFC 8018 A.3 names of the PBES1 schemes
_PBES1_SCHEMES = {
    "pbes1_md2_des": "pbeWithMD2AndDES-CBC",
    "pbes1_md5_des": "pbeWithMD5AndDES-CBC",
    "pbes1_md2_rc2": "pbeWithMD2AndRC2-CBC",
    "pbes1_md5_rc2": "pbeWithMD5AndRC2-CBC",
    "pbes1_sha1_des": "pbeWithSHA1AndDES-CBC",
    "pbes1_sha1_rc2": "pbeWithSHA1AndRC2-CBC",
}
_CIPHER_NAMES = {
    "aes128_cbc": "AES-128-CBC", "aes192_cbc": "AES-192-CBC", "aes256_cbc": "AES-256-CBC",
    "tripledes_3key": "3DES-CBC", "des": "DES-CBC", "rc2": "RC2-CBC",
}
_HASH_NAMES = {"sha1": "SHA1", "sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512"}


class StructureError(ValueError):
    """The bytes are not a PKCS#12 file we can read; the message is plain English."""


@dataclass(frozen=True)
class Pkcs12Structure:
    protection: Pkcs12Protection
    largest_iterations: int  # 0 when nothing declares a count
    largest_where: str  # "MAC", "private key", "certificates"
    total_iterations: int
    friendly_names: tuple[str, ...]  # from bags readable without decryption
    local_key_ids: tuple[str, ...]  # hex, from bags readable without decryption
    mac_unbounded: bool  # a MAC whose cost cannot be read (refused rather than risked)
    # Key-derivation work of one password try, MAC and every bag (kdf_work units), and the first part whose
    # cost cannot be bounded (an unknown KDF, scrypt beyond its memory cap), None when all can.
    work_per_try: int = 0
    unbounded_where: str | None = None


def read_structure(data: bytes) -> Pkcs12Structure:
    try:
        return _read(data)
    except StructureError:
        raise
    except PARSE_ERRORS as problem:
        raise StructureError("its PKCS#12 structure is damaged") from problem


def _read(data: bytes) -> Pkcs12Structure:
    pfx = pkcs12.Pfx.load(data, strict=False)
    if pfx["version"].native != "v3":
        raise StructureError("it is not a version 3 PKCS#12 file")
    costs: list[tuple[int, str]] = []
    mac_algorithm, mac_iterations, mac_salt_length, mac_unbounded = _read_mac(pfx, costs)
    mac_work = iterated_work(mac_iterations or 0, _mac_hash(pfx, mac_algorithm), derivations=1)
    auth_safe = pfx["auth_safe"]
    if auth_safe["content_type"].native != "data":
        raise StructureError("it is protected with public-key integrity, which this tool cannot read")
    safe = pkcs12.AuthenticatedSafe.load(auth_safe["content"].native)
    tally = _Tally(costs=costs, work=mac_work, unbounded_where="MAC" if mac_unbounded else None)
    for info in safe:
        tally.count_one()
        content_type = info["content_type"].native
        if content_type == "data":
            _read_safe_contents(pkcs12.SafeContents.load(info["content"].native), tally, depth=0)
        elif content_type == "encrypted_data":
            algorithm = info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            tally.add(*_bag_protection("certificates", algorithm))
        elif content_type == "enveloped_data":
            tally.add(BagProtection("certificates", "public-key encryption (enveloped data)", None, None, None), 0)
        else:
            tally.add(BagProtection("other", str(content_type), None, None, None), 0)
    largest, where = max(costs, default=(0, "MAC"))
    return Pkcs12Structure(
        protection=Pkcs12Protection(mac_algorithm, mac_iterations, mac_salt_length, tuple(tally.bags)),
        largest_iterations=largest,
        largest_where=where,
        total_iterations=sum(cost for cost, _ in costs),
        friendly_names=tuple(dict.fromkeys(tally.names)),
        local_key_ids=tuple(dict.fromkeys(tally.key_ids)),
        mac_unbounded=mac_unbounded,
        work_per_try=tally.work,
        unbounded_where=tally.unbounded_where,
    )


@dataclass
class _Tally:
    """What the walk over the bags has found so far, and how many parts it has visited."""

    costs: list[tuple[int, str]]
    bags: list[BagProtection] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    key_ids: list[str] = field(default_factory=list)
    visited: int = 0
    work: int = 0
    unbounded_where: str | None = None

    def count_one(self) -> None:
        self.visited += 1
        if self.visited > MAX_BAGS:
            raise StructureError("it holds far more parts than any real PKCS#12 file")

    def add(self, protection: BagProtection, work: int | None) -> None:
        """`work` is the part's cost per password try in kdf_work units, None when it cannot be bounded."""
        self.bags.append(protection)
        if protection.iterations is not None:
            self.costs.append((protection.iterations, protection.holds))
        if work is None:
            self.unbounded_where = self.unbounded_where or protection.holds
        else:
            self.work += work


def _read_mac(pfx: pkcs12.Pfx, costs: list[tuple[int, str]]) -> tuple[str | None, int | None, int | None, bool]:
    mac_data = pfx["mac_data"]
    if isinstance(mac_data, core.Void) or mac_data.native is None:
        return None, None, None, False
    algorithm = mac_data["mac"]["digest_algorithm"]
    oid = algorithm["algorithm"].dotted
    salt_length = len(mac_data["mac_salt"].native)
    if oid == OID_PBMAC1:
        iterations, prf = _pbmac1_cost(algorithm["parameters"])
        if iterations is None:
            return "PBMAC1", None, salt_length, True
        costs.append((iterations, "MAC"))
        return f"PBMAC1 HMAC-{prf}", iterations, salt_length, False
    iterations = int(mac_data["iterations"].native)
    costs.append((iterations, "MAC"))
    return str(algorithm["algorithm"].native), iterations, salt_length, False


def _pbmac1_cost(parameters: core.Asn1Value) -> tuple[int | None, str]:
    """RFC 9579 PBMAC1-params: keyDerivationFunc (PBKDF2) then messageAuthScheme."""
    try:
        sequence = core.Sequence.load(parameters.dump())
        kdf = algos.KdfAlgorithm.load(sequence[0].dump())
        if kdf["algorithm"].native != "pbkdf2":
            return None, ""
        params = kdf["parameters"]
        return int(params["iteration_count"].native), _HASH_NAMES.get(params["prf"]["algorithm"].native, "?")
    except PARSE_ERRORS:
        return None, ""


def _read_safe_contents(contents: pkcs12.SafeContents, tally: _Tally, *, depth: int) -> None:
    if depth > MAX_NESTING:
        raise StructureError("its bags nest deeper than any real PKCS#12 file")
    certificates_seen = False
    for bag in contents:
        tally.count_one()
        _read_attributes(bag, tally.names, tally.key_ids)
        bag_id = bag["bag_id"].native
        if bag_id == "pkcs8_shrouded_key_bag":  # asn1crypto gives an EncryptedPrivateKeyInfo here
            tally.add(*_bag_protection("private key", bag["bag_value"]["encryption_algorithm"]))
        elif bag_id == "key_bag":
            tally.add(BagProtection("private key", "none (the key is not encrypted)", None, None, None), 0)
        elif bag_id in ("cert_bag", "crl_bag") and not certificates_seen:
            certificates_seen = True
            tally.add(BagProtection("certificates", "none (not encrypted)", None, None, None), 0)
        elif bag_id == "safe_contents":  # RFC 7292 4.2.6: a bag of bags
            _read_safe_contents(bag["bag_value"], tally, depth=depth + 1)


def _read_attributes(bag: pkcs12.SafeBag, names: list[str], key_ids: list[str]) -> None:
    attributes = bag["bag_attributes"]
    if isinstance(attributes, core.Void) or attributes.native is None:
        return
    for attribute in attributes:
        kind = attribute["type"].native
        for value in attribute["values"]:
            if kind == "friendly_name":
                names.append(str(value.native)[:200])
            elif kind == "local_key_id":
                key_ids.append(bytes(value.native)[:64].hex())


def _mac_hash(pfx: pkcs12.Pfx, mac_algorithm: str | None) -> str | None:
    """The digest whose iterations the MAC costs: PBMAC1's PRF, else the MAC's own digest (RFC 7292 B.2)."""
    if mac_algorithm is None:
        return None
    if mac_algorithm.startswith("PBMAC1 HMAC-"):
        return mac_algorithm.removeprefix("PBMAC1 HMAC-")
    return mac_algorithm


def _bag_protection(holds: str, algorithm: algos.EncryptionAlgorithm) -> tuple[BagProtection, int | None]:
    """How a part is protected, and what one password try costs (kdf_work units; None: cannot be bounded)."""
    name = algorithm["algorithm"].native
    if name in _PKCS12_SCHEMES:  # RFC 7292 Appendix B.2: the PKCS#12 KDF over SHA-1
        params = algorithm["parameters"]
        iterations = int(params["iterations"].native)
        salt = bytes(params["salt"].native)
        return (BagProtection(holds, _PKCS12_SCHEMES[name], PKCS12_KDF, iterations, len(salt), salt=salt),
                iterated_work(iterations, "sha1"))
    if name in _PBES1_SCHEMES:  # RFC 8018 6.1: PBKDF1 over MD2, MD5 or SHA-1
        params = algorithm["parameters"]
        iterations = int(params["iterations"].native)
        return (BagProtection(holds, _PBES1_SCHEMES[name], "PBKDF1", iterations, len(params["salt"].native)),
                iterated_work(iterations, name.split("_")[1]))
    if name == "pbes2":
        kdf = algorithm["parameters"]["key_derivation_func"]
        cipher = algorithm["parameters"]["encryption_scheme"]["algorithm"].native
        scheme = f"PBES2 {_CIPHER_NAMES.get(cipher, str(cipher))}"
        if kdf["algorithm"].dotted == OID_SCRYPT:
            return _scrypt_protection(holds, scheme, kdf["parameters"])
        if kdf["algorithm"].native != "pbkdf2":  # RFC 8018 6.2: any other KDF has a cost we cannot read
            return BagProtection(holds, scheme, str(kdf["algorithm"].native), None, None), None
        params = kdf["parameters"]
        prf_name = params["prf"]["algorithm"].native
        prf = _HASH_NAMES.get(prf_name, str(prf_name))
        salt = params["salt"]
        salt_length = len(salt.native) if isinstance(salt.native, bytes) else None
        iterations = int(params["iteration_count"].native)
        return (BagProtection(holds, scheme, f"PBKDF2-HMAC-{prf}", iterations, salt_length),
                iterated_work(iterations, str(prf_name)))
    # An encryption we cannot name has a cost we cannot read: refused rather than handed to OpenSSL.
    return BagProtection(holds, str(name), None, None, None), None


def _scrypt_protection(holds: str, scheme: str, parameters: core.Asn1Value) -> tuple[BagProtection, int | None]:
    """RFC 7914 section 7: scrypt's N, r and p decide its cost; iterations does not apply."""
    try:
        params = ScryptParams.load(parameters.dump())
        n, r, p = (int(params[key].native) for key in ("cost_parameter", "block_size", "parallelization_parameter"))
        salt_length = len(params["salt"].native)
    except PARSE_ERRORS:
        return BagProtection(holds, scheme, "scrypt (damaged parameters)", None, None), None
    return BagProtection(holds, scheme, f"scrypt (N={n}, r={r}, p={p})", None, salt_length), scrypt_work(n, r, p)
