"""A static SVG timeline: for each year, the number of records whose time frame includes it.

    svg = timeline(year_counts, labels, href=lambda year: f"#from={year}&to={year}")

Each bar is a link to the index filtered by that year, with a `<title>`; axis labels every
ten years. The text alternative is a table of the counts (see index.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from migrmeta.publishing.html import esc
from migrmeta.publishing.pages.labels import Labels

WIDTH, HEIGHT, AXIS = 480, 150, 20


def timeline(counts: Mapping[int, int], labels: Labels, href: Callable[[int], str],
             title_id: str = "timeline-title", desc_id: str = "timeline-desc") -> str:
    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
             f'role="group" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
             f'<title id="{title_id}">{labels.ui_html("timeline_title")}</title>',
             f'<desc id="{desc_id}">{labels.ui_html("timeline_desc")}</desc>']
    if counts:
        first, last = min(counts), max(counts)
        years = last - first + 1
        step = WIDTH / years
        highest = max(counts.values())
        plot = HEIGHT - AXIS - 4
        parts.append(f'<line class="axis" x1="0" y1="{HEIGHT - AXIS}" x2="{WIDTH}" y2="{HEIGHT - AXIS}"/>')
        for year in range(first, last + 1):
            count = counts.get(year, 0)
            x = round((year - first) * step, 1)
            if count:
                height = max(1.0, round(plot * count / highest, 1))
                text = esc(f"{year}: {count}")
                parts.append(f'<a href="{esc(href(year))}" aria-label="{text}"><rect x="{x:g}" '
                             f'y="{HEIGHT - AXIS - height:g}" width="{max(1.0, round(step - 1, 1)):g}" '
                             f'height="{height:g}"><title>{text}</title></rect></a>')
            if year % 10 == 0 or (year in (first, last) and years < 10):
                middle = round(x + step / 2, 1)
                parts.append(f'<text x="{middle:g}" y="{HEIGHT - 6}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


__all__ = ["timeline"]
