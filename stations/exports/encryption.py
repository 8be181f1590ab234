"""Password-encrypted workbooks for files that name minors (DATA-1, DATA-6).

ECMA-376 Agile encryption (AES-256, SHA-512, the scheme of Excel 2010 and later) through msoffcrypto-tool:
Excel and WPS ask for the password when the file is opened. The password is made once per file, shown
once to the exporter and never stored.
"""

import io
import secrets

# No 0/O, 1/I/L: the password is read off a screen and typed or told over the phone.
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105  (the alphabet, not a password)
PASSWORD_LENGTH = 16  # 31**16 ≈ 2**79


def one_time_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def encrypt_xlsx(content: bytes, password: str) -> bytes:
    """The workbook as an encrypted OLE container that opens only with `password`."""
    # Imported here so that a deployment which has not installed the new lock yet still starts;
    # only the named export needs it.
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt(password, out)
    return out.getvalue()
