"""The publication date an article's URL gives, for articles that come with none and whose
text opens with no dated dateline: news and government sites put the date in the path.

Shapes read (the first that matches, left to right in the path):

- ``/2016/05/12/`` -> 2016-05-12, ``/2016/05/`` -> 2016-05 (``state.gov/.../2016/05/...``);
- ``/20220822/`` or ``/20220822-title`` -> 2022-08-22 (eight digits as one path segment);
- ``/2022-08-22/`` or ``-2022-08-22-`` (an ISO date in a path segment or a slug).

A year alone is not read (``/2016/`` is as often a section or an id as a date), and neither
is anything in the host name or the query string. Only real calendar days count, years from
1900 to 2099. The record marks such a date ``dateline.date_source: "url"``.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

# /2016/05/12/ or /2016/05/ (year and month as path segments, the day optional)
_YEAR_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})(?:/(?P<d>\d{1,2}))?(?=/|$|[-_.])")
# /20220822/ or /20220822-slug (eight digits opening a path segment)
_COMPACT = re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?=/|$|[-_.])")
# /2022-08-22/ or -2022-08-22- (an ISO day inside a segment or a slug)
_ISO = re.compile(r"(?<![\d])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])")


def _valid(year: str, month: str, day: str | None) -> str | None:
    y, m = int(year), int(month)
    if not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def date_from_url(url: str | None) -> str | None:
    """The date in a URL's path (see the module doc), as YYYY-MM-DD or YYYY-MM; None if none."""
    if not url:
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    found = []
    for pattern in (_YEAR_MONTH, _COMPACT, _ISO):
        for m in pattern.finditer(path):
            value = _valid(m["y"], m["m"], m.groupdict().get("d"))
            if value:
                found.append((m.start(), value))
    return min(found)[1] if found else None
