"""An independent implementation of WeCom's callback crypto (the WXBizMsgCrypt sample).

Written from the published scheme, with `cryptography` primitives only (no wechatpy), so
tests can cross-check the driver and the bot against something that shares no code
with them:

- AESKey = base64_decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = AESKey[:16].
- plaintext = random(16 bytes) + len(msg) as 4-byte network order + msg + receiveid,
  PKCS#7-padded to a multiple of 32 bytes; the ciphertext travels base64-encoded.
- msg_signature = sha1(sorted concatenation of token, timestamp, nonce, msg_encrypt).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptError(Exception):
    """Raised for a bad signature, a bad padding, a wrong receiveid or a malformed XML."""


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    parts = sorted([token, timestamp, nonce, encrypt])
    return hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK  # 1..32: a full block when already aligned
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    if not data:
        raise CryptError("empty plaintext")
    n = data[-1]
    if not 1 <= n <= BLOCK or data[-n:] != bytes([n]) * n:
        raise CryptError("bad PKCS#7 padding")
    return data[:-n]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass(frozen=True)
class WXBizMsgCrypt:
    token: str
    encoding_aes_key: str
    receiveid: str  # the corp id for a self-built app

    @property
    def key(self) -> bytes:
        if len(self.encoding_aes_key) != 43:
            raise CryptError("EncodingAESKey must be 43 characters")
        key = base64.b64decode(self.encoding_aes_key + "=")
        if len(key) != 32:
            raise CryptError("EncodingAESKey does not decode to 32 bytes")
        return key

    def _cipher(self) -> Cipher[modes.CBC]:
        key = self.key
        return Cipher(algorithms.AES(key), modes.CBC(key[:16]))

    # --- raw AES layer --------------------------------------------------------------

    def encrypt(self, message: str, *, random_prefix: bytes | None = None) -> str:
        prefix = os.urandom(16) if random_prefix is None else random_prefix
        if len(prefix) != 16:
            raise ValueError("random prefix must be 16 bytes")
        body = message.encode("utf-8")
        plain = prefix + struct.pack("!I", len(body)) + body + self.receiveid.encode("utf-8")
        encryptor = self._cipher().encryptor()
        ciphertext = encryptor.update(_pad(plain)) + encryptor.finalize()
        return base64.b64encode(ciphertext).decode("ascii")

    def decrypt(self, encrypt: str) -> str:
        try:
            ciphertext = base64.b64decode(encrypt, validate=True)
        except ValueError as exc:
            raise CryptError(f"bad base64: {exc}") from exc
        if not ciphertext or len(ciphertext) % 16:
            raise CryptError("ciphertext is not whole AES blocks")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(ciphertext) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptError("plaintext too short")
        (length,) = struct.unpack("!I", plain[16:20])
        if 20 + length > len(plain):
            raise CryptError("length field beyond the plaintext")
        message = plain[20 : 20 + length]
        receiveid = plain[20 + length :]
        if receiveid != self.receiveid.encode("utf-8"):
            raise CryptError(f"receiveid mismatch: {receiveid!r}")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CryptError("message is not UTF-8") from exc

    def _check(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected, msg_signature):
            raise CryptError("signature mismatch")

    # --- what WeCom does (the callback side) --------------------------------------------

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Check the URL-verification signature and return the echostr plaintext."""
        self._check(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def make_echostr(self, timestamp: str, nonce: str, echo: str) -> tuple[str, str]:
        """An (echostr, msg_signature) pair as WeCom sends on URL verification."""
        echostr = self.encrypt(echo)
        return echostr, signature(self.token, timestamp, nonce, echostr)

    def encrypt_callback(
        self, message_xml: str, timestamp: str, nonce: str, *, agent_id: int | str
    ) -> tuple[str, str]:
        """Encrypt a plaintext message into WeCom's callback body; return (xml, msg_signature).

        The body is ``<xml><ToUserName/><Encrypt/><AgentID/></xml>``; the signature goes
        into the query string.
        """
        encrypt = self.encrypt(message_xml)
        body = (
            "<xml>"
            f"<ToUserName>{_cdata(self.receiveid)}</ToUserName>"
            f"<Encrypt>{_cdata(encrypt)}</Encrypt>"
            f"<AgentID>{_cdata(str(agent_id))}</AgentID>"
            "</xml>"
        )
        return body, signature(self.token, timestamp, nonce, encrypt)

    def decrypt_callback(self, body: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """What the bot does with a callback POST: verify and decrypt its Encrypt."""
        encrypt = _text(body, "Encrypt")
        self._check(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    # --- what the bot does (the passive-reply side) -------------------------------------

    def encrypt_reply(self, reply_xml: str, timestamp: str, nonce: str) -> str:
        """A passive reply: ``<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>``."""
        encrypt = self.encrypt(reply_xml)
        sig = signature(self.token, timestamp, nonce, encrypt)
        return (
            "<xml>"
            f"<Encrypt>{_cdata(encrypt)}</Encrypt>"
            f"<MsgSignature>{_cdata(sig)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp>"
            f"<Nonce>{_cdata(nonce)}</Nonce>"
            "</xml>"
        )

    def decrypt_reply(self, body: str) -> str:
        """Verify a passive reply's own signature fields and decrypt it."""
        encrypt = _text(body, "Encrypt")
        self._check(
            _text(body, "MsgSignature"), _text(body, "TimeStamp"), _text(body, "Nonce"), encrypt
        )
        return self.decrypt(encrypt)


def _text(body: str, tag: str) -> str:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise CryptError(f"malformed XML: {exc}") from exc
    node = root.find(tag)
    if node is None or node.text is None:
        raise CryptError(f"missing <{tag}>")
    return node.text.strip()
