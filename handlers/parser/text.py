"""Text normalisation: NFKC, one set of separators, collapsed whitespace."""

from __future__ import annotations

import re
import unicodedata

# WeCom caps a text message at 2048 bytes; anything far longer is not a reply.
MAX_CHARS = 4000

SEP_CHARS = ",;。!?\n"
# Characters stripped from the ends of a note or a section.
TRIM_CHARS = " ,;。!?\n:、~-—…()\"'“”‘’"

_TRANSLATE = str.maketrans(
    {
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "\n",
        "\t": " ",
        "﹐": ",",
        "､": "、",
        "﹑": "、",
        "﹔": ";",
        "﹕": ":",
        "︰": ":",
        "｡": "。",
        "﹖": "?",
        "﹗": "!",
        "[": "【",
        "]": "】",
        "〔": "【",
        "〕": "】",
        "〖": "【",
        "〗": "】",
        "〜": "~",
        "～": "~",
    }
)
# Circled and dingbat list numbers ("①主体工程已完工"): NFKC makes "①" a bare "1", read
# as task 1; they become "1、", a list marker like any other.
_CIRCLED = {0x2460 + i: f"{i + 1}、" for i in range(20)}
_CIRCLED.update({base + i: f"{i + 1}、" for base in (0x2776, 0x2780, 0x278A) for i in range(10)})
_CIRCLED_RE = re.compile("[\u2460-\u2473\u2776-\u2793]")
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Emoji and pictographs carry no status: "已完成👍" reads as "已完成".
EMOJI_RE = re.compile(
    r"[\U00010000-\U0010ffff\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\ufe0f\ufffd]+"
)
# A dot or slash between digits is part of a date or an id; elsewhere it ends a clause.
_DOT_RE = re.compile(r"(?<![0-9])\.|\.(?![0-9])")
# "2.3月10日召开…": a list number before a date, not the date 2.3.
_ITEM_DATE_RE = re.compile(r"(?m)^([0-9]{1,2})\.(?=[0-9]{1,2}月)")
_SLASH_RE = re.compile(r"(?<![0-9])/|/(?![0-9])")
_SPACES_RE = re.compile(r"[^\S\n]+")
_NL_RE = re.compile(r" ?\n[\s]*")
_SEP_TRAIL_RE = re.compile(r"[ ]*([,;。!?:、])[ ]*")


def normalize(text: str) -> str:
    """Return ``text`` in the canonical form every other module expects."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    text = text.replace("\r\n", "\n")
    if _CIRCLED_RE.search(text):
        text = text.translate(_CIRCLED)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    # Each pass only where it can change something (most replies need none of them).
    printable = text.isprintable()  # False for a newline, a control or an odd space
    if not printable:
        text = _CONTROL_RE.sub(" ", text)
    if "." in text:
        text = _DOT_RE.sub("。", text)
        text = _ITEM_DATE_RE.sub(r"\1、", text)
    if "/" in text:
        text = _SLASH_RE.sub(";", text)
    if " " in text or not printable:
        text = _SPACES_RE.sub(" ", text)
        text = _SEP_TRAIL_RE.sub(r"\1", text)
    if "\n" in text:
        text = _NL_RE.sub("\n", text)
    return text.strip()


# A document number's year and serial ("豫科协〔2027〕5号", normalized to "【2027】5号") are
# neither a task nor a date.
_QUOTED_RE = re.compile(
    r"《[^《》\n]{1,80}》|“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\""
    r"|[【(](?:19|20)[0-9]{2}[】)]\s?第?[0-9]{1,4}\s?号"
)


def _blank(m: re.Match[str]) -> str:
    inner = m.group(0)
    return inner[0] + "□" * (len(inner) - 2) + inner[-1]


def mask_quoted(text: str) -> str:
    """``text`` with the inside of 《titles》 and “quotations” blanked, positions kept: the
    "2024年" in 《…2024年…》 is no date and the "6号" in “6号展厅” no task."""
    if "《" not in text and "“" not in text and '"' not in text and "号" not in text:
        return text
    return _QUOTED_RE.sub(_blank, text)


def trim(text: str) -> str:
    return text.strip(TRIM_CHARS)


_PLAIN_TRIM = TRIM_CHARS.translate(str.maketrans("", "", "()\"'“”‘’"))
_PAIRS = {"(": ")", "“": "”", "‘": "’", "【": "】", "《": "》"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def tidy(text: str) -> str:
    """``trim`` that keeps a bracket or a quotation mark whose partner is in the text:
    "“智慧人类”展厅" and "…(草案)" stay whole, a stray "(" or "”" goes."""
    while True:
        text = text.strip(_PLAIN_TRIM)
        if not text:
            return text
        head, tail = text[0], text[-1]
        if head in _PAIRS and tail == _PAIRS[head] and text.find(tail, 1) == len(text) - 1:
            text = text[1:-1]  # "(已完成资格初审)": the whole of it in brackets
        elif head in _PAIRS and _PAIRS[head] not in text[1:]:
            text = text[1:]
        elif tail in _CLOSERS and _CLOSERS[tail] not in text[:-1]:
            text = text[:-1]
        elif head in "\"'" and text.count(head) % 2:
            text = text[1:]
        elif tail in "\"'" and text.count(tail) % 2:
            text = text[:-1]
        else:
            return text


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
