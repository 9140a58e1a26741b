"""The quality score's tooltip on a survey page, in the page's language.

    quality_html(score, site_labels("fr"))  # the line of the page: score, rating, tooltip
    quality_tip(score, site_labels("fr"))   # "6. Type d'échantillon : non renseigné; ..."

`report quality` tells curators what a record lacks by property (`dct:license`,
`mm:sampleType`); readers of the site see the questionnaire's items and the site's words
(ui.json), never a CURIE.
"""

from __future__ import annotations

from migrmeta.publishing.pages.labels import Labels
from migrmeta.validation.quality import Part, Score, score_html

# Criteria whose loss is an item not answered, or answered without the field asked for
# (validation/quality.py: Part.items, Score.answered).
_ITEMS_ANSWERED = {"mandatory-items", "recommended-items", "access-level"}


def _what(part: Part, number: int, score: Score, labels: Labels) -> str:
    """What the criterion lost, of item `number` (0: of none)."""
    if part.key not in _ITEMS_ANSWERED:
        return labels.ui("quality_" + part.key)
    # answered by another of its fields than the one asked for (the inventory counts it): in part
    return labels.ui("quality_in_part" if number in score.answered else "quality_not_given")


def quality_tip(score: Score, labels: Labels, limit: int = 3) -> str:
    """What the score lost, for readers of the page: the `limit` criteria losing most, each
    worded in the page's language by the questionnaire item it is about ("14. Researcher
    access: not answered", or "answered in part" when another of its fields answers it),
    else in the site's words (ui.json); never a property's CURIE, unlike `report quality`'s
    reasons for curators."""
    said: list[str] = []
    for part in score.lost()[:limit]:
        texts = [labels.ui("quality_item").format(number=n, item=labels.item(n), what=_what(part, n, score, labels))
                 for n in part.items] or [_what(part, 0, score, labels)]
        if part.short:  # a series: the mean of its rounds
            texts = [labels.ui("quality_rounds").format(what=t, n=part.short, total=score.rounds) for t in texts]
        said += [t for t in texts if t not in said]
    return "; ".join(said)


def quality_html(score: Score | None, labels: Labels) -> str:
    """The score's line of a survey page (none without a score)."""
    return score_html(score, labels.lang, tip=quality_tip(score, labels)) + "\n" if score is not None else ""


__all__ = ["quality_html", "quality_tip"]
