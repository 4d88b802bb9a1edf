"""WeCom error types and the errcode -> exception mapping.

Codes come from WeCom's global error code table (developer doc 90313); the
retry policy per code follows the DESIGN brief ("WeCom facts the code must respect").
"""

from __future__ import annotations


class WeComError(Exception):
    """A call to WeCom failed. `retryable` tells the caller whether trying again can help."""

    retryable = False

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeCom errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class TokenInvalid(WeComError):
    """The access_token expired or is unknown: refetch it, then retry at once."""

    retryable = True


class Throttled(WeComError):
    """WeCom is busy or we exceed a frequency/concurrency limit: back off and retry."""

    retryable = True


class BadCredentials(WeComError):
    """Wrong corpid/secret/agentid, or IP not whitelisted: retrying cannot help."""


class InvalidRecipients(WeComError):
    """Every recipient (user, party, tag) is invalid or out of the app's scope."""


class ContentTooLong(WeComError):
    """Content exceeds WeCom's byte limit (detected locally, or reported by WeCom)."""


class FileSizeInvalid(WeComError):
    """A file under 5 bytes or over 20 MB (detected locally, or reported by WeCom)."""


class MediaInvalid(WeComError):
    """A media_id WeCom does not accept (expired after 3 days, or another robot's).
    Retrying the notice uploads the file again, so it is worth another attempt."""

    retryable = True


class TransportError(WeComError):
    """Timeout, connection failure, HTTP 5xx or a non-JSON body: worth retrying."""

    retryable = True


# Local, non-WeCom code used for transport failures (WeCom never returns it).
TRANSPORT_ERRCODE = -2

BUSY = -1
INVALID_SECRET = 40001
INVALID_MEDIA_TYPE = 40004
INVALID_FILE_SIZE = 40006
INVALID_MEDIA_ID = 40007
INVALID_CORPID = 40013
INVALID_TOKEN = 40014
INVALID_AGENTID = 40056
INVALID_PARAMETER = 40058  # robot webhook: "markdown.content exceed max length 4096"
MISSING_TOKEN = 41001
MISSING_MEDIA = 41005
TOKEN_EXPIRED = 42001
EMPTY_MEDIA = 44001
EMPTY_CONTENT = 44004
CONTENT_TOO_LARGE = 45002
FREQUENCY_LIMIT = 45009
CONCURRENCY_LIMIT = 45033
BAD_JSON = 47001
IP_NOT_ALLOWED = 60020
ALL_RECIPIENTS_INVALID = 81013
NO_RECIPIENTS = 82001
CHAT_NOT_FOUND = 86003
BAD_WEBHOOK = 93000

_BY_CODE: dict[int, type[WeComError]] = {
    TOKEN_EXPIRED: TokenInvalid,
    INVALID_TOKEN: TokenInvalid,
    MISSING_TOKEN: TokenInvalid,
    BUSY: Throttled,
    FREQUENCY_LIMIT: Throttled,
    CONCURRENCY_LIMIT: Throttled,
    INVALID_SECRET: BadCredentials,
    INVALID_CORPID: BadCredentials,
    INVALID_AGENTID: BadCredentials,
    IP_NOT_ALLOWED: BadCredentials,
    BAD_WEBHOOK: BadCredentials,
    ALL_RECIPIENTS_INVALID: InvalidRecipients,
    NO_RECIPIENTS: InvalidRecipients,
    CONTENT_TOO_LARGE: ContentTooLong,
    INVALID_FILE_SIZE: FileSizeInvalid,
    EMPTY_MEDIA: FileSizeInvalid,
    INVALID_MEDIA_ID: MediaInvalid,
}


def error_for(errcode: int, errmsg: str) -> WeComError:
    """Map a non-zero errcode to the exception the retry policy understands."""
    cls = _BY_CODE.get(errcode)
    # 40058 is WeCom's generic "invalid parameter"; only its length flavour is ContentTooLong.
    if cls is None and errcode == INVALID_PARAMETER and "exceed max length" in errmsg:
        cls = ContentTooLong
    return (cls or WeComError)(errcode, errmsg)
