"""Quiet the notices cryptography prints about odd input it still reads.

cryptography warns (on stderr, through the warnings module) when it reads a certificate with a serial
number that is not positive, or a PKCS#12/PKCS#7 file in BER rather than DER. Those notices are for the
library's users, not for the person checking a certificate: the report says what matters about the input
(serial_number.py for the serial), and `manage.py diagnose` keeps stderr for its own errors. The filters
match those notices' own words only, so every other warning still shows. Installed once, at import:
unlike warnings.catch_warnings, that is safe with threads.
"""

from __future__ import annotations

import warnings

from cryptography.utils import CryptographyDeprecationWarning

__all__ = ["quiet_input_notices"]


def quiet_input_notices() -> None:
    warnings.filterwarnings("ignore", message="Parsed a serial number which wasn't positive",
                            category=CryptographyDeprecationWarning)
    warnings.filterwarnings("ignore", message=r"PKCS#(12|7) .* could not be parsed as DER, falling back",
                            category=UserWarning)
