"""The one "did you mean" matcher: words that name things -> the things, and close answers.

A `Names` index holds, for each thing (a concept, an agency, a country; its `value`), the
words that name it: codes, labels in every language, acronyms, each with the text to show
in a suggestion. A lookup tries, in order:

1. `exact`: the whole answer is a code or a label (compared `fold`ed: case, accents,
   apostrophes and punctuation do not matter);
2. `by_words`: every word of the answer is a whole word of one label (`grappes` ->
   "Sondage en grappes"; a trailing plural s does not matter);
3. `suggest`: a close spelling, for the error message only, never taken as the answer.

Suggestions are kept sensible: an answer of three characters or fewer is compared only with
codes: a three-letter one differing by one letter (`PHI` -> `PHL`), never a two-letter one
(two-letter codes are so dense that any pair of letters is one off some code); a longer one must be close as a whole
(difflib ratio >= 0.8), or each of its *distinctive* words must be close to a word of the
label: words found in the labels of many things ("republic", "sampling") never carry a
suggestion, so "Czech Republik" is never taken for "Central African Republic".
"""

from __future__ import annotations

import bisect
import difflib
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from migrmeta.values.text import fold

WHOLE_CUTOFF = 0.8
WORD_CUTOFF = 0.85
_MIN_WORD = 4  # a lone word shorter than this is too weak to name a thing by itself


def stem(word: str) -> str:
    """A word without a trailing plural s (words of four letters or more): how names compare words."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


class Names:
    """Codes and labels of things -> the things (`value`s, e.g. IRIs)."""

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._words: list[tuple[str, frozenset[str]]] = []  # (value, stemmed words of one label)
        self._shown: dict[str, dict[str, str]] = defaultdict(dict)  # key -> value -> shown
        self._codes: dict[str, set[str]] = defaultdict(set)  # folded code -> values
        self._frequency: dict[str, set[str]] = defaultdict(set)  # stemmed word -> values
        self._values: set[str] = set()
        self._by_numbers: dict[frozenset[str], tuple[list[int], list[str]]] | None = None  # _by_length

    def add(self, value: str, word: str, shown: str | None = None, *, code: bool = False) -> None:
        """`word` names `value`; a suggestion of it shows `shown` (default: the word itself)."""
        key = fold(word)
        if not key:
            return
        self._by_numbers = None
        self._values.add(value)
        self._exact[key].add(value)
        text = shown if shown is not None else word.strip()
        if value not in self._shown[key] or (not code and value in self._codes.get(key, ())):
            self._shown[key][value] = text  # a label is shown rather than a code spelt the same
        if code:
            self._codes[key].add(value)
            return
        stems = frozenset(stem(w) for w in key.split())
        self._words.append((value, stems))
        for stemmed in stems:
            self._frequency[stemmed].add(value)

    def copy(self) -> Names:
        """An independent copy (adding to it leaves this one as it is), cheaper than adding again."""
        other = Names()
        other._exact.update((k, set(v)) for k, v in self._exact.items())
        other._words = list(self._words)
        other._shown.update((k, dict(v)) for k, v in self._shown.items())
        other._codes.update((k, set(v)) for k, v in self._codes.items())
        other._frequency.update((k, set(v)) for k, v in self._frequency.items())
        other._values = set(self._values)
        return other

    def __contains__(self, text: str) -> bool:
        return fold(text) in self._exact

    # lookups ------------------------------------------------------------------------------

    def exact(self, text: str) -> list[str]:
        """Things one of whose codes or labels is the whole text."""
        return sorted(self._exact.get(fold(text), ()))

    def by_words(self, text: str) -> list[str]:
        """Things one of whose labels holds every word of the text as a whole word."""
        wanted = {stem(w) for w in fold(text).split()}
        if not wanted or (len(wanted) == 1 and len(next(iter(wanted))) < _MIN_WORD):
            return []
        return sorted({value for value, stems in self._words if wanted <= stems})

    def find(self, text: str) -> list[str]:
        """`exact`, else `by_words`: the things the text names (several when ambiguous)."""
        return self.exact(text) or self.by_words(text)

    # suggestions --------------------------------------------------------------------------

    def suggest(self, text: str, n: int = 1) -> list[str]:
        """Up to `n` close answers (as shown), best first; [] when nothing is close enough."""
        return list(dict.fromkeys(shown for _, shown, _ in self.close(text)))[:n]

    def close(self, text: str, cutoff: float = WHOLE_CUTOFF, *,
              both_ways: bool = False, strict: bool = False) -> list[tuple[str, str, float]]:
        """(value, shown, score) of the things whose words are close to the text, best first.

        Whole-text similarity of at least `cutoff`; or every distinctive word of the text
        (when they are at least half of its words) close to a word of the label (score 0.75,
        below any close whole text); `both_ways`: and half of the label's distinctive words
        close to a word of the text too (for two names of one thing, not a thing a name
        mentions: "UK Data Service" is not the "Joint Data Center on Forced Displacement").
        `strict` (two descriptions in one catalogue, not a new thing against it): a whole text
        close as the cutoff, and each of its words close to a word of the label and back, never
        the words alone ("Statistics Korea" is not the "Ministry of Justice of the Republic of
        Korea", "University of Essex" not the "University of Sussex").
        """
        key = fold(text)
        if not key:
            return []
        if strict:
            return self._strictly_close(key, cutoff)
        scored: dict[tuple[str, str], float] = {}
        if len(key.replace(" ", "")) <= 3:  # a code: one letter off a code of three letters
            for code in self._codes:
                if len(code) == len(key) == 3 and _one_letter_apart(code, key):
                    for value in self._codes[code]:
                        scored[(value, self._shown[code][value])] = 1.0
        else:
            distinctive = self._distinctive(key)
            meaningful = [w for w in key.split() if len(w) >= _MIN_WORD]
            if len(distinctive) * 2 < len(meaningful):  # mostly common words: too little to go on
                distinctive = []
            for candidate, values in self._shown.items():
                if candidate in self._codes and len(candidate) <= 3:
                    continue
                # a typo of one letter counts (a short word's: "opne" for open), not for two names of
                # one agency (both_ways): a four-letter acronym one letter off is another agency
                score = _ratio(key, candidate) if both_ways else close_ratio(key, candidate)
                if score < cutoff:
                    found = distinctive and _all_found(distinctive, candidate)
                    if found and both_ways:
                        theirs = self._distinctive(candidate)
                        found = 2 * sum(_all_found([w], key) for w in theirs) >= len(theirs)
                    score = 0.75 if found else 0.0
                if score > 0.0:
                    for value, shown in values.items():
                        scored[(value, shown)] = max(score, scored.get((value, shown), 0.0))
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
        return [(value, shown, score) for (value, shown), score in ranked]

    def _strictly_close(self, key: str, cutoff: float) -> list[tuple[str, str, float]]:
        """`close(strict=True)`: whole texts close as the cutoff whose words agree both ways.

        A catalogue compares each of its names with all the others: what cannot reach the cutoff is
        left out first, cheaply and never wrongly: a length too far off, then too few pieces of the
        text found whole in the candidate (a ratio of `cutoff` leaves at most `slack` letters unmatched,
        which can break `slack` of its pieces, so the others are found whole), then difflib's own bound."""
        if len(key.replace(" ", "")) <= 3:  # an acronym one letter off another is another thing
            return []
        lengths, candidates = self._by_length(_numbers(key))
        shortest, longest = cutoff * len(key) / (2 - cutoff), (2 - cutoff) * len(key) / cutoff
        slack = int((1 - cutoff) * (len(key) + longest))
        count = max(slack + 1, len(key) // 3)  # pieces of three letters or more
        size = len(key) / count
        pieces = [key[round(i * size):round((i + 1) * size)] for i in range(count)]
        whole = count - slack  # pieces of the text each candidate within the cutoff holds whole
        scored: dict[tuple[str, str], float] = {}
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(key)  # difflib keeps what it learns of its second text: the one compared with all
        named = self._exact.get(key, set())  # the text is a label: what it names is found as itself
        for candidate in candidates[bisect.bisect_left(lengths, shortest - 1e-9):
                                    bisect.bisect_right(lengths, longest + 1e-9)]:
            if sum(piece in candidate for piece in pieces) < whole or self._shown[candidate].keys() <= named:
                continue
            # the words first: cheap (a word found as it is needs no ratio), and what tells apart
            # names of one pattern ("office 12", "office 13"), which every ratio would let through
            if candidate != key and not self._words_agree(key, candidate):
                continue
            matcher.set_seq1(candidate)
            if matcher.quick_ratio() < cutoff:
                continue
            score = matcher.ratio()
            if score < cutoff:
                continue
            for value, shown in self._shown[candidate].items():
                scored[(value, shown)] = max(score, scored.get((value, shown), 0.0))
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
        return [(value, shown, score) for (value, shown), score in ranked]

    def _by_length(self, numbers: frozenset[str]) -> tuple[list[int], list[str]]:
        """The labels and codes a strict lookup compares (codes of three letters or fewer are not)
        that hold the same numbers as the text (the words of two names agree only if their numbers
        do: "office 12" is never "office 13", so a catalogue of one pattern compares each name with
        its own kind only), shortest first, with their lengths: kept until a word is added."""
        if self._by_numbers is None:
            groups: dict[frozenset[str], list[tuple[int, str]]] = defaultdict(list)
            for k in self._shown:
                if not (k in self._codes and len(k) <= 3):
                    groups[_numbers(k)].append((len(k), k))
            self._by_numbers = {n: ([m for m, _ in sorted(g)], [k for _, k in sorted(g)]) for n, g in groups.items()}
        return self._by_numbers.get(numbers, ([], []))

    @staticmethod
    def _words_agree(key: str, candidate: str) -> bool:
        """Every word of each text close to a word of the other (`_all_found`): a number, a
        place or a short word said otherwise is another thing ("office 12", "office 13")."""
        return _all_found(_stems(key)[0], candidate) and _all_found(_stems(candidate)[0], key)

    def _distinctive(self, key: str) -> list[str]:
        """The words of the answer that are not common to many things' labels."""
        many = 3  # "korea", "congo" are distinctive; "republic", "islands", "sampling" are not
        found = []
        for word in key.split():
            if len(word) < _MIN_WORD:
                continue
            stemmed = stem(word)
            near = difflib.get_close_matches(stemmed, list(self._frequency), n=1, cutoff=WORD_CUTOFF)
            if len(self._frequency.get(near[0] if near else stemmed, ())) < many:
                found.append(stemmed)
        return found


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def close_ratio(a: str, b: str) -> float:
    """How close two folded texts are as wholes, a typo of one letter (or two swapped) in a text
    of the same length counting as close as the cutoff: the one measure `close` uses."""
    score = _ratio(a, b)
    if score < WHOLE_CUTOFF and len(a) == len(b) and _one_letter_apart(a, b):
        return WHOLE_CUTOFF
    return score


def _all_found(distinctive: Sequence[str], candidate: str) -> bool:
    """Every distinctive word of the answer is close to a word of the candidate (same first
    letter, ratio >= WORD_CUTOFF)."""
    theirs, same = _stems(candidate)  # a word found as it is needs no ratio: most words of two close names are
    return all(word in same or any(_words_close(word, w) for w in theirs) for word in distinctive)


def _numbers(text: str) -> frozenset[str]:
    """The words of a folded text that are numbers."""
    return frozenset(w for w in _stems(text)[0] if w.isdigit())


@lru_cache(maxsize=65536)
def _stems(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The stems of a folded text's words, in order and as a set (a catalogue's names, compared
    with each other, are split once each)."""
    stems = tuple(stem(w) for w in text.split())
    return stems, frozenset(stems)


@lru_cache(maxsize=65536)
def _words_close(word: str, other: str) -> bool:
    """Two words said alike (same first letter, ratio >= WORD_CUTOFF); two numbers only when
    equal ("office 12" is not "office 13"). Cached: a catalogue compares the same words again
    and again, name after name."""
    if word[0] != other[0] or (word.isdigit() and other.isdigit()):
        return False
    return _ratio(word, other) >= WORD_CUTOFF


def _one_letter_apart(a: str, b: str) -> bool:
    if a == b:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) == 1:
        return True
    return len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] \
        and a[differ[1]] == b[differ[0]]  # two letters swapped
