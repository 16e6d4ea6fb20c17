"""How a name sounds: the key that finds a returning person typed with a sound-alike name."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

NAME_PINYIN_MAX_LENGTH = 240  # 60 characters of at most 6 letters (zhuang, shuang)


def name_pinyin(name: str | None) -> str:
    """The name's pinyin without tones, spaces or punctuation, lower-cased: 张三, 章三 and
    "Zhang San" give "zhangsan"; 吕 gives "lv". Empty for a name without letters."""
    syllables = lazy_pinyin((name or "").strip(), style=Style.NORMAL, errors="default")
    key = "".join(ch for ch in "".join(syllables).lower() if ch.isascii() and ch.isalnum())
    return key[:NAME_PINYIN_MAX_LENGTH]
