"""Time expressions: found in raw text and normalised against the publication date.

One pass of one precompiled regular expression over the text finds candidate expressions
(no spaCy: this runs on every article). Each alternative of that expression is a *rule*
naming one construction ("on 25 September", "last Tuesday", "two days ago", ...) with a
handler that turns the match into a TimeML TIMEX3 type and value. A few context steps then
widen or join what the rules found: modifiers ("early", "the end of"), ranges
("18 October - 2 November") and a clock time glued to its day ("15:00 GMT Saturday").

Values follow TIMEX3: ``2017-09-25``, ``2017-10``, ``2018``, ``2017-W39``, ``2017-Q3``,
``2017-SU``, ``199`` (the 1990s), ``P3D``, ``PXY``, ``PRESENT_REF``; a span is written
``start/end``. An expression whose value needs the publication date (``anchored``) gets the
value ``None`` when the date is not known: it is left out, not guessed.

Modules: ``rules`` (the constructions and the word tables they are built from),
``calendar`` (the calendar arithmetic), ``finder`` (the pass over a text, the context steps,
the public functions). Word lists live in ``time_words.yaml`` of the data folder;
:class:`TimeFinder` compiles them (once per data folder, in
:class:`entente.resources.Resources`). Nothing is read at import.
"""
from __future__ import annotations

from .finder import TenseHint, TimeExpression, TimeFinder, find_time_expressions, load_time_words, resolve_date
from .rules import TimeWords

__all__ = ["TenseHint", "TimeExpression", "TimeFinder", "TimeWords", "find_time_expressions", "load_time_words",
           "resolve_date"]
