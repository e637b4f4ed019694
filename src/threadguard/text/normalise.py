"""Normalisation against evasion, with an exact offset map back to the original text.

People who want a slur or an insult past a filter write it so that a word list no longer matches it:
"ｗｏｒｄ", "wоrd" with a Cyrillic "о", "w0rd", "w*rd", "w o r d", "woooord", or a zero-width space in the
middle of the word. `Normaliser` undoes these so that features and lexicons see the plain
word, and `NormalisedText.to_original` maps every normalised span back to the characters the user
actually typed, so that highlighted spans (Perspective's `spanScores`) cover the evasive spelling.

The work happens in two stages:

A. per character (`_fold_char`): remove invisible format characters, fold compatibility forms (fullwidth,
   mathematical, circled letters, ligatures), strip Latin/Greek diacritics, lower-case. Then, per word,
   Cyrillic/Greek look-alikes are mapped to Latin where the word or the text is Latin (`_map_confusables`).
B. per token (`_rewrite`): spaced-out letters, leetspeak, masks and repeated letters, resolved with the
   vocabulary where a choice has to be made.

Most comments need none of this: a few quick scans tell (`Normaliser._detect`), and the result is then
the lower-cased text with `source=None`, the identity map.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["NormalisedText", "Normaliser"]


@dataclass(frozen=True)
class NormalisedText:
    """A normalised text and the map from each of its characters back to the original text.

    All indices are code-point indices (Python string indices); convert them with
    `threadguard.text.utf16.Utf16Index` for the UTF-16 offsets that Perspective reports.
    """

    original: str
    text: str
    # source[i] is the index in `original` of the character that produced text[i]; the sequence never
    # decreases. None means the identity map (the fast path: same length, character for character).
    source: tuple[int, ...] | None

    def to_original(self, begin: int, end: int) -> tuple[int, int]:
        """Map normalised [begin, end) to the original [b, e) that produced it (end exclusive).

        The result covers everything typed for those characters, including what normalisation removed
        inside the span (zero-width characters, combining marks, the spaces of "w o r d", the extra
        letters of "woooord") but not invisible characters or separators just before or after it.
        """
        n = len(self.text)
        if not 0 <= begin <= end <= n:
            raise IndexError(f"span ({begin}, {end}) outside 0..{n}")
        source = self.source
        if source is None:
            return begin, end
        if begin == end:  # an empty span is an insertion point
            point = source[begin] if begin < n else len(self.original)
            return point, point
        last = source[end - 1]
        stop = source[end] if end < n else len(self.original)
        e = max(last + 1, stop)
        # Characters in [last + 1, stop) produced nothing; keep those that belong to the last character
        # (combining marks, collapsed repeats) and drop trailing separators and invisible characters.
        while e > last + 1 and _is_detached(self.original[e - 1]):
            e -= 1
        return source[begin], e


def _is_detached(ch: str) -> bool:
    """A removed character that separates words rather than belonging to the one before it."""
    return ch.isspace() or ch in ".-" or unicodedata.category(ch) in ("Cf", "Cc", "Cs")


# ---------------------------------------------------------------------------------------------------
# Stage A tables: one character at a time
# ---------------------------------------------------------------------------------------------------

# Combining marks used as diacritics on Latin, Greek and Cyrillic letters, and by "Zalgo" text, plus
# variation selectors. Script-specific marks (Devanagari vowel signs, Hebrew points, ...) are not listed:
# removing them would destroy those scripts.
_GENERIC_MARK_RANGES = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0488, 0x0489),  # Cyrillic combining enclosing marks (popular in Zalgo text)
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining Diacritical Marks for Symbols (incl. the keycap U+20E3)
    (0xFE00, 0xFE0F),  # Variation Selectors (emoji presentation U+FE0F)
    (0xFE20, 0xFE2F),  # Combining Half Marks
    (0xE0100, 0xE01EF),  # Variation Selectors Supplement
)

# Typographic punctuation folded to its ASCII form so that "don’t" and "don't" are one token.
_PUNCTUATION_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}  # fmt: skip

# Latin letters that Unicode does not decompose but that read as a plain letter: letters with a stroke,
# small capitals and other look-alikes (keys are already lower-case, as `_fold_char` sees them).
_LATIN_LOOKALIKES = str.maketrans({
    "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ƀ": "b", "ı": "i", "ȷ": "j", "ɡ": "g", "ƒ": "f",
    "ɨ": "i", "ʉ": "u", "ɑ": "a",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
})  # fmt: skip

# Enclosed letters that NFKC leaves alone: negative circled (U+1F150) and negative squared (U+1F170) A-Z.
_NEGATIVE_ENCLOSED_STARTS = (0x1F150, 0x1F170)

# Cyrillic, Greek and Armenian letters that look like a Latin letter. Keys are case-sensitive because the
# two cases look like different Latin letters (Greek "Η" is H, "η" is n). Applied by `_map_confusables`
# only where it cannot destroy real Cyrillic or Greek text.
_CONFUSABLES = {
    # Cyrillic capitals
    "А": "a", "В": "b", "Е": "e", "Ё": "e", "Є": "e", "Ѕ": "s", "І": "i", "Ї": "i", "Ј": "j", "К": "k",
    "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t", "У": "y", "Х": "x", "Ү": "y", "Һ": "h",
    "Ԁ": "d", "Ԛ": "q", "Ԝ": "w", "Ӏ": "l", "Ь": "b",
    # Cyrillic small letters
    "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "є": "e", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
    "ү": "y", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b",
    # Greek capitals
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ϲ": "c", "Ϳ": "j",
    # Greek small letters
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Armenian
    "օ": "o", "ո": "n", "ս": "u", "հ": "h", "ց": "g",
}  # fmt: skip

# Characters whose fold is exactly `ch.lower()`, one character for one (checked for every code point in
# tests/text/test_normalise.py). Text made only of these and printable ASCII is folded by `str.lower()`
# in C; every other character goes through `_fold_char`. The list only has to be correct, not complete.
_PLAIN_RANGES = (
    ("\u00a1", "\u00a7"), ("\u00a9", "\u00a9"), ("\u00ab", "\u00ac"), ("\u00ae", "\u00ae"),  # Latin-1
    ("\u00b0", "\u00b1"), ("\u00b6", "\u00b7"), ("\u00bb", "\u00bb"), ("\u00bf", "\u00bf"),  # symbols
    ("\u00d7", "\u00d7"), ("\u00f7", "\u00f7"),
    ("\u0391", "\u03a1"), ("\u03a4", "\u03a9"), ("\u03b1", "\u03c1"), ("\u03c3", "\u03c9"),  # Greek letters
    ("\u0400", "\u0487"), ("\u048a", "\u04ff"),  # Cyrillic
    ("\u0531", "\u0556"), ("\u0561", "\u0586"),  # Armenian
    ("\u0591", "\u05c7"), ("\u05d0", "\u05ea"),  # Hebrew
    ("\u0620", "\u0669"),  # Arabic letters, vowel marks and digits
    ("\u0900", "\u0957"), ("\u0960", "\u097f"),  # Devanagari
    ("\u0e01", "\u0e32"), ("\u0e34", "\u0e3a"), ("\u0e3f", "\u0e5b"),  # Thai
    ("\u1100", "\u11ff"),  # Hangul Jamo
    ("\u2020", "\u2023"), ("\u2030", "\u2030"), ("\u20ac", "\u20ac"),  # daggers, bullets, per mille, euro
    ("\u2190", "\u2199"), ("\u2500", "\u27bf"),  # arrows, box drawing, shapes, symbols, dingbats
    ("\u3001", "\u3035"), ("\u3041", "\u3096"), ("\u30a1", "\u30fa"),  # CJK punctuation, kana
    ("\u4e00", "\u9fff"), ("\uac00", "\ud7a3"),  # CJK ideographs, Hangul syllables
    ("\U0001f300", "\U0001f64f"), ("\U0001f680", "\U0001f6d7"), ("\U0001f900", "\U0001f9ff"),  # emoji
)  # fmt: skip

# Everything that is neither printable ASCII, tab, newline nor in _PLAIN_RANGES.
_SPECIAL_RE = re.compile("[^\t\n\x20-\x7e" + "".join(f"{a}-{b}" for a, b in _PLAIN_RANGES) + "]+")
_SPECIAL_SPLIT_RE = re.compile(f"({_SPECIAL_RE.pattern})")
_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])  # ASCII controls except tab and newline
_NOT_CONTROLS = bytes(c for c in range(256) if c not in _CONTROLS)
_ASCII_CONTROLS = str.maketrans(dict.fromkeys(_CONTROLS, " "))

_CONFUSABLE_SCRIPT = "\u0370-\u03ff\u0400-\u04ff\u0531-\u058f"
_CONFUSABLE_SCRIPT_RE = re.compile(f"[{_CONFUSABLE_SCRIPT}]")


def _is_generic_mark(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _GENERIC_MARK_RANGES)


def _fold_char(ch: str) -> str:
    """The normalised form of one character: "" (removed), one character, or several ("ﬁ" -> "fi")."""
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:  # lone surrogate (surrogateescape, broken JSON): keep a placeholder
        return "\ufffd"
    if ch in "\t\n":
        return ch
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "
    if category == "Cf":  # zero-width space/joiner, soft hyphen, BOM, bidi controls, tag characters
        return ""
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Zs":
        return " "
    if ch in _PUNCTUATION_FOLD:
        return _PUNCTUATION_FOLD[ch]
    if _is_generic_mark(ch):
        return ""
    for start in _NEGATIVE_ENCLOSED_STARTS:
        if start <= cp < start + 26:
            return chr(ord("a") + cp - start)
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold())
    decomposed = unicodedata.normalize("NFD", folded)
    # Strip diacritics, except from Cyrillic letters: "й" and "ё" are letters of their own there.
    if any(_is_generic_mark(c) for c in decomposed) and not unicodedata.name(decomposed[0], "").startswith(
        "CYRILLIC"
    ):
        folded = unicodedata.normalize("NFC", "".join(c for c in decomposed if not _is_generic_mark(c)))
    return folded.translate(_LATIN_LOOKALIKES)


def _folded_lookalikes() -> tuple[dict[str, str], str]:
    """The Latin letter of each look-alike as it looks after folding (lower-case), and those folded
    letters whose Latin letter depends on the case of the original ("Η" is h, "η" is n)."""
    letters: dict[str, set[str]] = {}
    for ch, latin in _CONFUSABLES.items():
        letters.setdefault(_fold_char(ch), set()).add(latin)
    unambiguous = {folded: latin.pop() for folded, latin in letters.items() if len(latin) == 1}
    return unambiguous, "".join(sorted(folded for folded, latin in letters.items() if len(latin) > 1))


_FOLDED_LOOKALIKES, _CASE_DEPENDENT_LOOKALIKES = _folded_lookalikes()
_LOOKALIKES = "".join(sorted(_FOLDED_LOOKALIKES)) + _CASE_DEPENDENT_LOOKALIKES
_TO_LATIN = str.maketrans({**{chr(c): chr(c) for c in range(128)}, **_FOLDED_LOOKALIKES})
# A non-ASCII letter without a Latin look-alike ("б", "я", "λ"): a sign of real Cyrillic or Greek text.
_NON_LOOKALIKE_LETTER_RE = re.compile(rf"[^\W\d_\x00-\x7f{_LOOKALIKES}]")
_ASCII_LETTER_RE = re.compile("[a-z]")
_NON_WORD_RE = re.compile(r"\W")


def _confusable_for(ch: str) -> str | None:
    """The Latin letter that original character `ch` imitates, if it is a Cyrillic/Greek look-alike."""
    nfkc = unicodedata.normalize("NFKC", ch)  # mathematical Greek letters imitate too
    return _CONFUSABLES.get(ch) or _CONFUSABLES.get(nfkc) or _CONFUSABLES.get(_fold_char(ch))


# ---------------------------------------------------------------------------------------------------
# Stage B patterns: tokens on the folded (lower-case) text
# ---------------------------------------------------------------------------------------------------

_L = r"[^\W\d_]"  # a letter of any script
# Leet characters and the letters they stand for; the first letter is the default ("1" is "i" or "l").
_LEET = {
    "0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "li", "€": "e",
}  # fmt: skip
_LEET_CHARS = "".join(_LEET)
_EDGE_LEET_CHARS = _LEET_CHARS.replace("@", "").replace("!", "")  # "@x" is a mention, "x!" punctuation
_LEET_SYMBOLS = "@$!|€"
_MASKS = "*#_%?&^"


def _any_of(chars: str) -> str:
    """A regex character class of exactly these characters."""
    return f"[{re.escape(chars)}]"


_LEET_RE, _EDGE_LEET_RE, _LEET_OR_MASK_RE = (
    _any_of(_LEET_CHARS),
    _any_of(_EDGE_LEET_CHARS),
    _any_of(_LEET_CHARS + _MASKS.replace("&", "")),
)

# Stage B starts where one of these triggers matches. Regex engines are slow when every position may
# start a match, so each trigger starts at a "rare" character (leet, mask, "!?") and looks behind it; the
# engine then skips from one rare character to the next. Each trigger is (the rare characters it starts
# at, the rest of the pattern). Tripled letters and spaced-out letters are found separately
# (`_has_tripled_letter`, `_SPACED_RE`).
_TRIGGERS = (
    (_LEET_CHARS, rf"(?<=[a-z].){_LEET_RE}*[a-z]"),  # leet between letters: w0rd, c00l, h3ll0
    ("!", "(?<=!)!!"),  # "!!!"
    ("?", r"(?<=\?)\?\?"),  # "???"
)
# Masks and leet at the edge of a token can only be resolved with a vocabulary.
_TRIGGERS_WITH_VOCABULARY = (
    (_LEET_CHARS + _MASKS.replace("&", ""), rf"(?<={_L}.){_LEET_OR_MASK_RE}*{_L}"),  # between letters: w**d
    ("&", rf"(?<={_L}{_L}.){_L}|(?<={_L}.){_L}{_L}"),  # "&" in w&rd, but not in G&M or R&D
    ("*#%^", rf"(?<={_L}.)"),  # a mask after a letter: w***
    ("*", rf"{_L}"),  # an asterisk before a letter: *ord
    ("_", rf"(?<={_L}.)_*(?!\w)"),  # underscores after a letter: wo__
    # leading leet (5tar), but not 1st, 5pm, 3d
    (_EDGE_LEET_CHARS, rf"(?<![\w@$|€].){_EDGE_LEET_RE}*(?!(?:st|nd|rd|th|am|pm|[a-z])\b)[a-z]"),
    # trailing leet after at most four letters (bo55)
    (
        _EDGE_LEET_CHARS,
        "(?:"
        + "|".join(rf"(?<=(?<![\w@$|€])[a-z]{{{k}}}.)" for k in range(1, 5))
        + rf"){_EDGE_LEET_RE}*(?![\w@$|€])",
    ),
)


def _trigger_pattern(triggers: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One regex for all triggers: any rare character, then the triggers that start at that character."""
    rare = "".join(sorted({ch for starts, _ in triggers for ch in starts}))
    branches = "|".join(f"(?<={_any_of(starts)})(?:{rest})" for starts, rest in triggers)
    return re.compile(f"{_any_of(rare)}(?:{branches})")


_TRIGGER_RE = _trigger_pattern(_TRIGGERS)
_TRIGGER_WITH_VOCABULARY_RE = _trigger_pattern(_TRIGGERS + _TRIGGERS_WITH_VOCABULARY)
# "." or "-" as a mask next to a single letter (w.rd, wo-d), with a vocabulary. Kept apart because "." and
# "-" are not rare at all: the other triggers would be tried at every one of them.
_DOT_MASK_RE = re.compile(rf"[.\-](?:(?<=(?<![\w.\-]){_L}.){_L}{{2}}|(?<={_L}{{2}}.){_L}(?![\w.\-]))")
# The same pattern for text in which every "-" has become ".": the pattern never tells the two apart, and a
# pattern that starts with one literal character is scanned several times faster than one that starts with
# a class ("[.\-]"). Used by `Normaliser.normalise_many`.
_DOT_ONLY_MASK_RE = re.compile(_DOT_MASK_RE.pattern.replace(r"[.\-]", r"\.").replace(r"[\w.\-]", r"[\w.]"))

_WHITESPACE_RE = re.compile(r"\s")  # after folding, whitespace is " ", "\n" or "\t"
_TRIPLE_RE = re.compile(r"(.)\1\1+")  # faster than ([^\W\d_])\1\1; callers check for a letter
# Three or more single letters joined by one and the same separator: w o r d, w.o.r.d, w-o-r-d; but
# not "a U.S." in "a U.S. citizen" nor the "s" of "here's". The match starts at the first separator (see
# _TRIGGERS for why); the run starts one character before it.
_SPACED_RE = re.compile(rf"([ .\-])(?<=(?<![\w']){_L}[ .\-]){_L}(?:\1{_L})+(?![\w'])(?!(?!\1)[.\-]{_L})")
# For ASCII text, a quick test for _SPACED_RE: letters become "a", other word characters "1", everything
# else " ", and three single letters in a row show as " a a a ".
_SPACING_CLASSES = (
    bytes(
        ord("a") if chr(c).isalpha() else ord("1") if chr(c).isalnum() or c == ord("_") else ord(" ")
        for c in range(128)
    )
    + b" " * 128
)


# Byte tables for _has_tripled_letter: a-z stay themselves, everything else becomes 0x00 or 0xFF.
_LETTERS_ELSE_00 = bytes(c if 0x61 <= c <= 0x7A else 0x00 for c in range(256))
_LETTERS_ELSE_FF = bytes(c if 0x61 <= c <= 0x7A else 0xFF for c in range(256))


def _has_tripled_letter(text: str) -> bool:
    """Whether some letter occurs three times in a row ("sooo")."""
    if not text.isascii():
        return any(m.group(1).isalpha() for m in _TRIPLE_RE.finditer(text))
    # Twice as fast as the regex for ASCII: compare every byte with the next one at once, as big
    # integers. diff has a zero byte at i exactly where text[i] == text[i + 1] is a letter (a non-letter
    # is 0x00 on one side and 0xFF on the other), so two zero bytes in a row mean a tripled letter.
    data = text.encode()
    this = int.from_bytes(data.translate(_LETTERS_ELSE_00), "little")
    following = int.from_bytes(data.translate(_LETTERS_ELSE_FF), "little") >> 8
    return b"\0\0" in (this ^ following).to_bytes(len(data), "little")


def _may_have_spaced_letters(text: str) -> bool:
    if text.isascii():
        return b" a a a " in b" " + text.encode().translate(_SPACING_CLASSES) + b" "
    return _SPACED_RE.search(text) is not None


def _word_span(text: str, i: int) -> tuple[int, int]:
    """The span of the word (run of regex word characters) around position i."""
    start = i
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = _NON_WORD_RE.search(text, i)
    return start, end.start() if end else len(text)


# A token: word characters, leet and mask characters, with single '!?.-\'' allowed between them.
_TOKEN_RE = re.compile(r"[\w@$|€*#%&^]+(?:[!?.\-'][\w@$|€*#%&^]+)*")
_PUNCTUATION_RUN_RE = re.compile(r"([!?])\1{2,}")
# Chunks that hold an address rather than words: URLs, e-mail addresses, @mentions and #hashtags.
_ADDRESS_RE = re.compile(
    r"(?:https?|ftp)://|www\W|\w\.(?:com|org|net|edu|gov|ca|uk|de|fr|io|ly)\b|\w\.[a-z]{2,}/|[\w.+-]@[\w-]+\.\w"
    r"|(?<![\w@$])[@#][a-z0-9_]"
)
_DOTTED_RE = re.compile(rf"{_L}([.\-]){_L}(?:\1{_L})+")
# Tokens whose digits are numbers, not leet: other digits (b2b), long numbers (deficit1979), ordinals
# (the51st), names like h1n1 and h5n1.
_NUMBER_LIKE_RE = re.compile(r"[26]|\d{3}|\d(?:st|nd|rd|th)$|^[a-z]\d+[a-z]\d+$")
_NUMBER_PLURAL_RE = re.compile(r"(?<=\d)'?s$")  # F18s, F18's
_LEET_BETWEEN_LETTERS_RE = re.compile(rf"(?<=[a-z]){_LEET_RE}+(?=[a-z])")
_ROMAN_RE = re.compile(r"(?=[mdclxvi])m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})")
_MAX_TOKEN_LEN = 24  # longer "words" are ids, hashes or base64, not evasions
_TOKEN_CACHE_SIZE = 50_000  # rewritten tokens remembered per Normaliser ("sooo", "5pm", ...)

# Kinds of token characters and of the pieces a token is cut into for vocabulary matching.
_LETTER, _LEET_CHAR, _MASK, _OTHER = range(4)
_LITERAL, _CHOICE, _REPEAT, _MASK_RUN = range(4)

# A region rewritten by stage B: folded [start, end) becomes `text`; sources are folded indices.
_Region = tuple[int, int, str, list[int]]


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each character with `_fold_char`, computed on first sight.

    It also remembers the characters that do not fold to exactly one character (removed or expanded),
    the only ones that need an offset map.
    """

    def __init__(self) -> None:
        super().__init__()
        self._not_one_for_one: set[str] = set()

    def __missing__(self, code_point: int) -> str:
        folded = _fold_char(chr(code_point))
        if len(folded) != 1:
            self._not_one_for_one.add(chr(code_point))
        self[code_point] = folded
        return folded

    def one_for_one(self, text: str) -> bool:
        """Whether every character of `text` (already translated once) folds to exactly one."""
        return self._not_one_for_one.isdisjoint(text)


class Normaliser:
    """Undo the usual evasions of word filters; `vocabulary` resolves the ambiguous cases.

    The vocabulary is a set of lower-case words (slurs, profanities, insults from the model's lexicon).
    It decides what a mask stands for ("w*rd"), which letter a "1" is ("he11o"), how far to collapse
    repeated letters ("gooood" -> "god" or "good"), and whether leet at the edge of a token is meant
    ("bo55"). Without a
    vocabulary only unambiguous evasions are undone.

    `masked` are the vocabulary words people censor themselves (profanity, slurs, sexual words,
    insults): where a masked token fits several words, one of them and only one is taken ("sh*t" is
    "shit", not the violence word "shot").

    An instance caches folded characters (at most one entry per distinct character seen) and rewritten
    tokens (bounded), and is safe to share between threads.
    """

    def __init__(self, vocabulary: Iterable[str] = (), masked: Iterable[str] = ()) -> None:
        self._fold_table = _FoldTable()
        self._confusable_cache: dict[str, str | None] = {}
        self._token_cache: dict[str, tuple[str, list[int]] | None] = {}
        words = {self._fold(w.strip())[0] for w in vocabulary}
        self._vocabulary = frozenset(w for w in words if w and "\n" not in w)
        self._masked = frozenset(self._fold(w.strip())[0] for w in masked) & self._vocabulary
        self._trigger = _TRIGGER_WITH_VOCABULARY_RE if self._vocabulary else _TRIGGER_RE
        # Vocabulary words one per line, by first character, for anchored multi-line regex matching.
        by_first: dict[str, list[str]] = {}
        for word in sorted(self._vocabulary):
            by_first.setdefault(word[0], []).append(word)
        self._blobs = {first: "\n".join(ws) for first, ws in by_first.items()}
        self._all_words = "\n".join(sorted(self._vocabulary))

    @property
    def vocabulary(self) -> frozenset[str]:
        """The vocabulary, folded like normalised text."""
        return self._vocabulary

    def __call__(self, text: str) -> NormalisedText:
        """Normalise `text`; never raises for any `str` (lone surrogates and control characters included)."""
        folded, source = self._fold(text)
        if not folded.isascii() and _CONFUSABLE_SCRIPT_RE.search(folded):
            folded = self._map_confusables(text, folded, source)
        detected = self._detect(folded)
        if not any(detected):  # the fast path: most comments end here
            return NormalisedText(text, folded, None if source is None else tuple(source))
        return self._rewrite(text, folded, source, detected)

    def normalise_many(self, texts: Sequence[str]) -> list[NormalisedText]:
        """Exactly `[self(t) for t in texts]`, in about two thirds of the time on typical comments.

        Most comments fold to ASCII and then take the fast path, where the Python around `_detect`'s quick
        scans costs more than the scans themselves. Here the texts that fold to ASCII are scanned together,
        a few hundred at a time (`_flag_ascii_batch`); those it flags, and those that do not fold to
        ASCII, go through `self(t)`, which scans them again (a false alarm would only cost time).
        """
        results: list[NormalisedText] = []
        batch: list[int] = []  # indices of the results that are right unless the batch scans flag them
        folds: list[str] = []
        for text in texts:
            folded, source = self._fold(text)
            if folded.isascii():  # then `__call__` maps no confusables
                batch.append(len(results))
                folds.append(folded)
                results.append(NormalisedText(text, folded, None if source is None else tuple(source)))
            else:
                results.append(self(text))
        before = list(accumulate(map(len, folds), initial=0))  # characters before each text
        start = 0
        while start < len(folds):  # texts of about _BATCH_CHARS characters in all, at least one
            end = min(max(bisect_left(before, before[start] + _BATCH_CHARS), start + 1), len(folds))
            for k in self._flag_ascii_batch(folds[start:end]):
                i = batch[start + k]
                results[i] = self(texts[i])
            start = end
        return results

    def _flag_ascii_batch(self, folds: list[str]) -> set[int]:
        """The indices of the folded ASCII texts in which `_detect` finds something.

        The texts are joined with `_BATCH_SEPARATOR` (it acts like the edge of each text: see there) and
        each of `_detect`'s scans runs once over the joined string: the regexes from hit to hit, the
        tests for tripled and spaced-out letters with numpy on all positions at once. A hit is mapped back
        to its text through the texts' start offsets.
        """
        import numpy as np  # here, not at the top: the per-text path does without it

        sep = _BATCH_SEPARATOR
        joined = sep + sep.join(folds) + sep
        # starts[k] is where text k begins in `joined`; starts[len(folds)] == len(joined).
        starts = list(accumulate((len(f) + len(sep) for f in folds), initial=len(sep)))
        flagged = _texts_matched(self._trigger, joined, starts)
        if self._vocabulary:
            flagged |= _texts_matched(_DOT_ONLY_MASK_RE, joined.replace("-", "."), starts)
        # A letter a-z three times in a row (as `_has_tripled_letter`): same[i] is data[i] == data[i + 1].
        encoded = joined.encode()
        data = np.frombuffer(encoded, np.uint8)
        same = (data[:-1] == data[1:]) & (data[:-1] >= ord("a")) & (data[:-1] <= ord("z"))
        tripled = np.flatnonzero(same[:-1] & same[1:])
        # " a a a " in the spacing classes (as `_may_have_spaced_letters`): single[i] is " a " at i.
        classes = np.frombuffer(encoded.translate(_SPACING_CLASSES), np.uint8)
        space, letter = classes == ord(" "), classes == ord("a")
        single = space[:-2] & letter[1:-1] & space[2:]
        spaced = np.flatnonzero(single[:-4] & single[2:-2] & single[4:]) + 1  # at the first letter
        hits = np.concatenate([tripled, spaced])
        flagged.update((np.searchsorted(starts, hits, side="right") - 1).tolist())
        return flagged

    def _detect(self, folded: str) -> tuple[bool, bool, bool, bool]:
        """Whether stage B may have work: (a trigger, a tripled letter, spaced-out letters, "." or "-"
        as a mask). A false alarm only costs time; a miss would be a bug."""
        return (
            self._trigger.search(folded) is not None,
            _has_tripled_letter(folded),
            _may_have_spaced_letters(folded),
            bool(self._vocabulary) and _DOT_MASK_RE.search(folded) is not None,
        )

    # -- stage A ------------------------------------------------------------------------------------

    def _fold(self, text: str) -> tuple[str, list[int] | None]:
        """Fold every character; the map stays None while every character folds to exactly one."""
        if text.isascii():
            folded = text.lower()
            if text.encode().translate(None, _NOT_CONTROLS):  # rare control characters
                folded = folded.translate(_ASCII_CONTROLS)
            return folded, None
        # Alternating plain parts and runs of special characters: plain, special, plain, ..., plain.
        parts = _SPECIAL_SPLIT_RE.split(text)
        table = self._fold_table
        runs = parts[1::2]
        parts[0::2] = [plain.lower() for plain in parts[0::2]]  # exact and one-for-one for plain characters
        parts[1::2] = [table[ord(run)] if len(run) == 1 else run.translate(table) for run in runs]
        if table.one_for_one("".join(runs)):
            return "".join(parts), None
        source: list[int] = []
        position = 0  # in `text`
        for k, run in enumerate(runs):
            plain_length = len(parts[2 * k])
            source.extend(range(position, position + plain_length))
            position += plain_length
            if table.one_for_one(run):
                source.extend(range(position, position + len(run)))
            else:
                for i, ch in enumerate(run, position):
                    source.extend([i] * len(table[ord(ch)]))
            position += len(run)
        source.extend(range(position, len(text)))
        return "".join(parts), source

    def _confusable(self, ch: str) -> str | None:
        if ch not in self._confusable_cache:
            self._confusable_cache[ch] = _confusable_for(ch)
        return self._confusable_cache[ch]

    def _map_confusables(self, original: str, folded: str, source: list[int] | None) -> str:
        """Map look-alike letters to Latin where that cannot destroy real Cyrillic or Greek text.

        Only words whose every non-ASCII letter has a Latin look-alike are candidates ("привет" never is).
        A candidate is mapped if it mixes scripts ("wоrd"), or if the text is mainly Latin, or if every
        non-ASCII letter of the text has a look-alike (a comment that is just "НЕУ"). The map is
        one-for-one, so offsets do not change.
        """
        ascii_chars = len(folded.encode("ascii", "ignore"))
        latin_text = ascii_chars - folded.count(" ") - folded.count("\n") > len(folded) - ascii_chars
        latin_text = latin_text or _NON_LOOKALIKE_LETTER_RE.search(folded) is None
        # Candidate words are found from their rarest ingredient: the foreign letters of a Latin text, the
        # ASCII letters (of mixed words) in any other text.
        seeds = (_CONFUSABLE_SCRIPT_RE if latin_text else _ASCII_LETTER_RE).finditer(folded)
        chars: list[str] | None = None
        done = 0
        for seed in seeds:
            if seed.start() < done:
                continue  # in the word seen last
            start, end = _word_span(folded, seed.start())
            done = end
            word = folded[start:end]
            latin = word.translate(_TO_LATIN)
            if any(c in _CASE_DEPENDENT_LOOKALIKES for c in latin):
                # the original character decides: Greek "Η" is h, "η" is n
                latin = "".join(
                    c
                    if c.isascii()
                    else self._confusable(original[start + k if source is None else source[start + k]]) or c
                    for k, c in enumerate(latin)
                )
            if latin == word or not latin.isascii():
                continue  # nothing to map, or a letter without a Latin look-alike: a real foreign word
            mixed = any("a" <= c <= "z" for c in word)
            if mixed or latin_text:
                if chars is None:
                    chars = list(folded)
                chars[start:end] = latin
        return folded if chars is None else "".join(chars)

    # -- stage B ------------------------------------------------------------------------------------

    def _rewrite(
        self, original: str, folded: str, source: list[int] | None, detected: tuple[bool, bool, bool, bool]
    ) -> NormalisedText:
        """Apply the token rewrites that `_detect` found reason for; compose the map with stage A's."""
        trigger, tripled, spaced, dot_mask = detected
        spaced_regions = (
            [self._join_spaced(folded, m.start() - 1, m.end()) for m in _SPACED_RE.finditer(folded)]
            if spaced
            else []
        )
        # Each trigger lies in a whitespace-delimited chunk; the chunk's tokens are rewritten.
        at: list[int] = [m.start() for m in self._trigger.finditer(folded)] if trigger else []
        if tripled:
            at += [m.start() for m in _TRIPLE_RE.finditer(folded) if m.group(1).isalpha()]
        if dot_mask:
            at += [m.start() for m in _DOT_MASK_RE.finditer(folded)]
        chunks: list[tuple[int, int]] = []
        for i in sorted(at):
            if chunks and i < chunks[-1][1]:
                continue  # in the chunk found last
            start = i
            while start > 0 and not folded[start - 1].isspace():
                start -= 1
            space = _WHITESPACE_RE.search(folded, i)
            chunks.append((start, space.start() if space else len(folded)))
        regions = [r for start, end in chunks for r in self._rewrite_chunk(folded, start, end)]
        if spaced_regions:
            regions = _merge_spaced(regions, spaced_regions)
        if not regions:
            return NormalisedText(original, folded, None if source is None else tuple(source))
        regions.sort(key=lambda region: region[0])
        parts: list[str] = []
        one_for_one = source is None and all(r[3] == list(range(r[0], r[1])) for r in regions)
        if one_for_one:  # e.g. only leetspeak: the identity map still holds
            prev = 0
            for start, end, text, _ in regions:
                parts += (folded[prev:start], text)
                prev = end
            parts.append(folded[prev:])
            return NormalisedText(original, "".join(parts), None)
        mapped: list[int] = []
        prev = 0
        for start, end, text, text_source in regions:
            parts.append(folded[prev:start])
            parts.append(text)
            if source is None:
                mapped.extend(range(prev, start))
                mapped.extend(text_source)
            else:
                mapped.extend(source[prev:start])
                mapped.extend(source[j] for j in text_source)
            prev = end
        parts.append(folded[prev:])
        mapped.extend(range(prev, len(folded)) if source is None else source[prev:])
        return NormalisedText(original, "".join(parts), tuple(mapped))

    def _join_spaced(self, folded: str, start: int, end: int) -> _Region:
        """ "w o r d" -> "word"; "a b o o k" keeps the article when only the rest is a word."""
        letters = folded[start:end:2]
        vocabulary = self._vocabulary
        if (
            vocabulary
            and letters not in vocabulary
            and len(letters) >= 4
            and letters[0] in "ai"
            and letters[1:] in vocabulary
        ):
            start += 2
            letters = letters[1:]
        return start, end, letters, list(range(start, end, 2))

    def _rewrite_chunk(self, folded: str, start: int, end: int) -> list[_Region]:
        """Rewrite the tokens of one whitespace-delimited chunk and collapse "!!!!!" to "!"."""
        chunk = folded[start:end]
        if ("." in chunk or "@" in chunk or "#" in chunk or ":" in chunk) and _ADDRESS_RE.search(chunk):
            return []
        regions: list[_Region] = []
        cache = self._token_cache
        for m in _TOKEN_RE.finditer(chunk):
            token = m.group()
            if token in cache:
                rewritten = cache[token]
            else:
                if len(cache) >= _TOKEN_CACHE_SIZE:
                    cache.clear()
                rewritten = cache[token] = self._rewrite_token(token)
            if rewritten is not None:
                text, offsets = rewritten
                at = start + m.start()
                regions.append((at, start + m.end(), text, [at + j for j in offsets]))
        if "!!!" in chunk or "???" in chunk:
            for m in _PUNCTUATION_RUN_RE.finditer(chunk):
                regions.append((start + m.start(), start + m.end(), m.group(1), [start + m.start()]))
            regions.sort(key=lambda region: region[0])
        return regions

    def _rewrite_token(self, token: str) -> tuple[str, list[int]] | None:
        """The rewritten token and, per output character, its offset in the token; None if unchanged."""
        n = len(token)
        if n < 2 or n > _MAX_TOKEN_LEN or token in self._vocabulary:
            return None
        if _DOTTED_RE.fullmatch(token):  # w.o.r.d inside punctuation: "(w.o.r.d)"
            return token[::2], list(range(0, n, 2))
        kinds = _classify(token)
        if kinds is None:
            return None
        default = _default_rewrite(token, kinds)
        if self._vocabulary and (default[0] != token or any(k != _LETTER for k in kinds)):
            resolved = self._resolve(token, kinds)
            if resolved is not None:
                return resolved
        return None if default[0] == token else default

    def _resolve(self, token: str, kinds: list[int]) -> tuple[str, list[int]] | None:
        """Find the one vocabulary word the token spells, with its per-character offsets.

        Masks first stand for exactly as many letters; only if no word fits that way may a run of masks
        stand for 1-3 letters and a leet symbol for any letter ("b$ll"). Of several fitting words the
        shortest wins ("goooood" is "god" rather than "good"); of equally long ones, the one word people
        censor (`masked`), if there is exactly one; otherwise the token is left alone.
        """
        pieces = _pieces(token, kinds)
        if len(pieces) > 60:
            return None
        first_kind, _, _, first_letters = pieces[0]
        if first_kind == _MASK_RUN:
            blob = self._all_words
        else:
            blob = "\n".join(self._blobs[c] for c in first_letters if c in self._blobs)
        if not blob:
            return None
        # Loosening needs two known letters: "f*" alone could be anything.
        may_loosen = sum(p[0] != _MASK_RUN for p in pieces) >= 2 and any(
            p[0] == _MASK_RUN or token[p[1]] in _LEET_SYMBOLS for p in pieces
        )
        for loose in (False, True) if may_loosen else (False,):
            pattern = _pieces_pattern(token, pieces, loose)
            matches = sorted({m.group() for m in pattern.finditer(blob)}, key=lambda w: (len(w), w))
            if not matches:
                continue
            shortest = [w for w in matches if len(w) == len(matches[0])]
            if len(shortest) > 1:
                censored = [w for w in shortest if w in self._masked]
                if len(censored) != 1:
                    return None  # ambiguous: "c*t" could be "cat" or "cut"
                shortest = censored
            word = shortest[0]
            m = pattern.match(word)
            assert m is not None
            offsets: list[int] = []
            for g, (kind, start, end, _) in enumerate(pieces, 1):
                produced = len(m.group(g))
                if kind == _MASK_RUN:  # spread the letters over the mask characters
                    offsets.extend(start + j * (end - start) // produced for j in range(produced))
                else:
                    offsets.extend(range(start, start + produced))
            return word, offsets
        return None


def _merge_spaced(regions: list[_Region], spaced: list[_Region]) -> list[_Region]:
    """Spaced-out letters win over token rewrites that overlap them ("w.o.r.d" is both); both lists are
    sorted by start and free of overlaps among themselves."""
    kept: list[_Region] = []
    k = 0
    for region in regions:
        while k < len(spaced) and spaced[k][1] <= region[0]:
            k += 1
        if k == len(spaced) or region[1] <= spaced[k][0]:
            kept.append(region)
    return kept + spaced


# Joins the folded ASCII texts of a batch (`Normaliser._flag_ascii_batch`). To every scan of `_detect` it
# looks exactly like the start or end of a text, so a text is flagged in the batch if and only if `_detect`
# flags it alone:
# - the regexes (the trigger patterns, and `_DOT_ONLY_MASK_RE` on the text with "." for "-", which leaves
#   "\x00" alone) have no anchors, and every class and literal in them excludes "\x00" (`\w`, `[^\W\d_]`,
#   `[a-z]`, leet and mask characters, "." and "-", "st"). "." (any character) matches it, but only ever
#   as the last character of a lookbehind, right after the rare character that the match just consumed.
#   So a match never consumes a separator character; a test that needs a character there fails, as it
#   does past the edge of a text; a negative test (`(?<![\w@$|€])`, `(?!\w)`, `(?![\w@$|€])`,
#   `(?![\w.])`, ...) succeeds, as it does there; and `\b` sees a non-word character, as it sees the
#   edge. No lookbehind reaches more than six characters back, so none reads past the separator into the
#   previous text, and a forward test stops at the separator's first character.
# - tripled letters: "\x00" is not a letter, so no run of one letter spans it.
# - spaced-out letters: "\x00" becomes " " in `_SPACING_CLASSES`, as the padding that
#   `_may_have_spaced_letters` puts around a single text; and the probe " a a a " cannot span eight of them.
_BATCH_SEPARATOR = "\x00" * 8
# Characters scanned together: the scans' arrays (about 20 bytes a character) then stay in the CPU's cache,
# which makes them faster than over all texts at once.
_BATCH_CHARS = 1 << 18


def _texts_matched(pattern: re.Pattern[str], joined: str, starts: list[int]) -> set[int]:
    """The indices of the texts in `joined` (starting at `starts`, plus its end) where `pattern` matches;
    after a match the rest of its text is skipped."""
    matched: set[int] = set()
    pos = starts[0]
    while m := pattern.search(joined, pos):
        k = bisect_right(starts, m.start()) - 1
        matched.add(k)
        pos = starts[k + 1]
    return matched


# ---------------------------------------------------------------------------------------------------
# Token helpers (pure functions of the token)
# ---------------------------------------------------------------------------------------------------


def _classify(token: str) -> list[int] | None:
    """The kind of each character of `token`, or None when there are no letters."""
    letters = [i for i, ch in enumerate(token) if ch.isalpha()]
    if not letters:
        return None
    first, last = letters[0], letters[-1]
    n = len(token)
    kinds = []
    for i, ch in enumerate(token):
        if ch.isalpha():
            kind = _LETTER
        elif ch in _LEET and (ch != "!" or first < i < last):
            kind = _LEET_CHAR
        elif (ch in _MASKS and (ch != "&" or _ampersand_is_mask(token, i))) or (
            ch in ".-" and first < i < last and _next_to_single_letter(token, i, n)
        ):
            kind = _MASK
        else:
            kind = _OTHER
        kinds.append(kind)
    # "*word*" and "**word**" are emphasis, not masks.
    if kinds[0] == _MASK and kinds[-1] == _MASK and token[0] in "*_":
        for step in (1, -1):
            i = 0 if step == 1 else n - 1
            while 0 <= i < n and kinds[i] == _MASK:
                kinds[i] = _OTHER
                i += step
    return kinds


def _ampersand_is_mask(token: str, i: int) -> bool:
    """An "&" between letters is a mask unless it joins single letters (R&D, S&P, G&M), as in _TRIGGERS."""
    before, after = token[max(i - 2, 0) : i], token[i + 1 : i + 3]
    two_before = len(before) == 2 and before.isalpha()
    two_after = len(after) == 2 and after.isalpha()
    return before[-1:].isalpha() and after[:1].isalpha() and (two_before or two_after)


def _next_to_single_letter(token: str, i: int, n: int) -> bool:
    left = token[i - 1].isalpha() and (i < 2 or not token[i - 2].isalpha())
    right = token[i + 1].isalpha() and (i + 2 >= n or not token[i + 2].isalpha())
    return left or right


def _default_rewrite(token: str, kinds: list[int]) -> tuple[str, list[int]]:
    """Decode unambiguous leetspeak and collapse letters repeated three times or more to two.

    Roman numerals ("iii") and three-letter acronyms ("www") keep their letters.
    """
    chars = list(token)
    for i in _leet_to_decode(token, kinds):
        chars[i] = _LEET[token[i]][0]
    keep_repeats = (
        _ROMAN_RE.fullmatch(token) is not None
        or (len(token) == 3 and token == token[0] * 3)  # www, kkk
        or token.endswith("wiii")  # WWIII
    )
    text: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        j = i + 1
        if ch.isalpha():
            while j < n and chars[j] == ch:
                j += 1
        count = j - i if j - i < 3 or keep_repeats else 2
        text.extend(ch * count)
        offsets.extend(range(i, i + count))
        i = j
    return "".join(text), offsets


def _leet_to_decode(token: str, kinds: list[int]) -> list[int]:
    """Positions of the leet characters decoded without a vocabulary (the default letter for each).

    Only in tokens of 4-8 characters with leet right between two ASCII letters ("w0rd", "c00l", "h3ll0"),
    and then at the edges too. Never "!" and "|" (as often punctuation: "yes!but"), nor in tokens whose digits
    are numbers ("the51st", "F18s", "h1n1", "deficit1979", "b2b"), typos in long words ("powerfu8l") or
    non-Latin words. Everything else is left to the vocabulary.
    """
    if not 4 <= len(token) <= 8 or not token.replace("€", "e").isascii() or _NUMBER_LIKE_RE.search(token):
        return []
    body = _NUMBER_PLURAL_RE.sub("", token)  # the plural "s" of F18s is no letter around leet
    leet = [i for i, kind in enumerate(kinds) if kind == _LEET_CHAR and token[i] not in "!|"]
    for m in _LEET_BETWEEN_LETTERS_RE.finditer(body):
        if any(m.start() <= i < m.end() for i in leet):
            return leet
    return []


def _pieces(token: str, kinds: list[int]) -> list[tuple[int, int, int, str]]:
    """Cut a token into (kind, start, end, letters) pieces for vocabulary matching: a literal character,
    a leet character (letters: what it may stand for), a run of one letter three or more times (it may
    stand for fewer) or a run of masks. Here every leet character counts, at the edges too."""
    pieces: list[tuple[int, int, int, str]] = []
    i, n = 0, len(token)
    while i < n:
        kind = kinds[i]
        j = i + 1
        if kind == _MASK:
            while j < n and kinds[j] == _MASK:
                j += 1
            pieces.append((_MASK_RUN, i, j, ""))
        elif kind in (_LETTER, _LEET_CHAR):
            letters = _letters_of(token[i], kind)
            while j < n and kinds[j] in (_LETTER, _LEET_CHAR) and _letters_of(token[j], kinds[j]) == letters:
                j += 1
            if j - i >= 3 and len(letters) == 1:
                pieces.append((_REPEAT, i, j, letters))
            else:
                j = i + 1
                pieces.append((_CHOICE if kind == _LEET_CHAR else _LITERAL, i, j, letters))
        else:
            pieces.append((_LITERAL, i, j, token[i]))
        i = j
    return pieces


def _letters_of(ch: str, kind: int) -> str:
    return _LEET[ch] if kind == _LEET_CHAR else ch


def _pieces_pattern(token: str, pieces: list[tuple[int, int, int, str]], loose: bool) -> re.Pattern[str]:
    """An anchored multi-line regex with one group per piece. A run of k masks stands for exactly k
    letters, or when `loose` and between letters for 1 to max(k, 3) ("f*k", but not "be*"); when
    `loose`, a leet symbol stands for any letter ("b$ll")."""
    parts = []
    for index, (kind, start, end, letters) in enumerate(pieces):
        if kind == _LITERAL:
            parts.append(re.escape(letters))
        elif kind == _CHOICE:
            parts.append(_L if loose and token[start] in _LEET_SYMBOLS else f"[{re.escape(letters)}]")
        elif kind == _REPEAT:
            parts.append(f"{re.escape(letters)}{{1,{end - start}}}")
        else:
            k = end - start
            between_letters = 0 < index < len(pieces) - 1
            parts.append(f"{_L}{{1,{max(k, 3)}}}" if loose and between_letters else f"{_L}{{{k}}}")
    return re.compile("^" + "".join(f"({p})" for p in parts) + "$", re.MULTILINE)
