"""Time expressions: tables of expressions or sentences, publication dates and values."""
from __future__ import annotations

import re

import pytest

from entente.errors import DictionaryError
from entente.read.dateline import parse_dateline
from entente.resources import default_resources
from entente.resolve.time import (TimeExpression, TimeFinder, TimeWords, find_time_expressions, load_time_words,
                                  resolve_date)
from entente.resources import BUNDLED_DATA

FINDER = default_resources().time_finder

PUB = "2017-09-27"  # a Wednesday


# ---- resolve_date: one expression, its value ------------------------------------------

@pytest.mark.parametrize("expression,published,expected", [
    # required by SPEC.md
    ("on 25 September", PUB, "2017-09-25"),
    ("in October", PUB, "2017-10"),
    ("18-21 October", PUB, "2017-10-18/2017-10-21"),
    ("from 3 to 5 May", PUB, "2017-05-03/2017-05-05"),
    ("last Tuesday", PUB, "2017-09-26"),
    ("last Tuesday", "2017-09-26", "2017-09-19"),
    ("next month", PUB, "2017-10"),
    ("next month", "2017-12-05", "2018-01"),
    ("in 2018", PUB, "2018"),
    ("2017-2018", PUB, "2017/2018"),
    ("today", PUB, "2017-09-27"),
    ("yesterday", PUB, "2017-09-26"),
    ("tomorrow", PUB, "2017-09-28"),
    ("earlier today", PUB, "2017-09-27"),
    ("Friday", PUB, "2017-09-22"),
    ("Wednesday", PUB, "2017-09-27"),
    ("Aug. 7", PUB, "2017-08-07"),
    ("March 12", PUB, "2017-03-12"),
    ("July 21, 2016", PUB, "2016-07-21"),
    ("November 17", PUB, "2017-11-17"),
    ("13 November", PUB, "2017-11-13"),
    ("the 1990s", PUB, "199"),
    ("in recent weeks", PUB, "PXW"),
    ("this year", PUB, "2017"),
    ("last year", PUB, "2016"),
    ("next week", PUB, "2017-W40"),
    ("this week", PUB, "2017-W39"),
    ("two days ago", PUB, "2017-09-25"),
    ("three years", PUB, "P3Y"),
    ("the past decade", PUB, "P10Y"),
    # more dates
    ("October 18-21", PUB, "2017-10-18/2017-10-21"),
    ("between 3 and 5 May", PUB, "2017-05-03/2017-05-05"),
    ("13 November 2015", PUB, "2015-11-13"),
    ("Sept 27", PUB, "2017-09-27"),
    ("2017-09-25", PUB, "2017-09-25"),
    ("25.09.2017", PUB, "2017-09-25"),
    ("May 2010", PUB, "2010-05"),
    ("from 2009 to 2012", PUB, "2009/2012"),
    ("1990-91", PUB, "1990/1991"),
    ("the 20th century", PUB, "19"),
    ("the third quarter", PUB, "2017-Q3"),
    ("the first quarter of 2016", PUB, "2016-Q1"),
    ("the first half of 2016", PUB, "2016-H1"),
    ("fiscal 1989", PUB, "1989"),
    ("early December", PUB, "2017-12"),
    ("mid-October", PUB, "2017-10"),
    ("late last year", PUB, "2016"),
    ("earlier this month", PUB, "2017-09"),
    ("last month", "2017-01-10", "2016-12"),
    ("last July", "2013-03-22", "2012-07"),
    ("next July", "2013-03-22", "2013-07"),
    ("last summer", "2013-03-22", "2012-SU"),
    ("last fall", "1998-02-06", "1997-FA"),
    ("the summer of 2012", PUB, "2012-SU"),
    ("the weekend", PUB, "2017-W38-WE"),
    ("Christmas", PUB, "2017-12-25"),
    ("a year ago", PUB, "2016"),
    ("three months ago", PUB, "2017-06"),
    ("two weeks ago", PUB, "2017-W37"),
    ("1949", None, "1949"),
    ("the 1949 treaty", PUB, "1949"),
    ("December", "2018-01-15", "2017-12"),  # nearest across the year end
    # times of day
    ("this morning", PUB, "2017-09-27TMO"),
    ("last night", PUB, "2017-09-26TNI"),
    ("Friday night", PUB, "2017-09-22TNI"),
    ("3 p.m.", PUB, "2017-09-27T15:00"),
    # durations and references
    ("90 days", PUB, "P90D"),
    ("a four-week course", PUB, "P4W"),
    ("24 hours", PUB, "PT24H"),
    ("the past two years", PUB, "P2Y"),
    ("the next few months", PUB, "PXM"),
    ("for years", PUB, "PXY"),
    ("half an hour", PUB, "PT30M"),
    ("now", PUB, "PRESENT_REF"),
    ("currently", PUB, "PRESENT_REF"),
    ("recently", PUB, "PAST_REF"),
    ("in the past", PUB, "PAST_REF"),
    ("in the future", PUB, "FUTURE_REF"),
    # repeated times
    ("every year", PUB, "P1Y"),
    ("every Monday", PUB, "XXXX-WXX-1"),
    ("daily", PUB, "P1D"),
])
def test_time_resolve_date(expression, published, expected):
    assert resolve_date(expression, published, finder=FINDER) == expected


# ---- without a publication date: anchored values are left out, absolute ones resolve ----

@pytest.mark.parametrize("expression,expected", [
    ("on 25 September", None),
    ("Friday", None),
    ("last year", None),
    ("today", None),
    ("two days ago", None),
    ("in October", None),
    ("July 21, 2016", "2016-07-21"),
    ("1949", "1949"),
    ("May 2010", "2010-05"),
    ("2017-2018", "2017/2018"),
    ("18-21 October 2017", "2017-10-18/2017-10-21"),
    ("three years", "P3Y"),
    ("the 1990s", "199"),
])
def test_time_resolve_date_without_publication_date(expression, expected):
    assert resolve_date(expression, None, finder=FINDER) == expected


@pytest.mark.parametrize("expression,anchored", [
    ("on 25 September", True),
    ("last Tuesday", True),
    ("July 21, 2016", False),
    ("three years", False),
])
def test_time_anchored_flag(expression, anchored):
    for published in (PUB, None):
        (found,) = find_time_expressions(expression, published, finder=FINDER)
        assert found.anchored is anchored


# ---- sentences: spans, types and values -------------------------------------------------

@pytest.mark.parametrize("sentence,published,expected", [
    ("Serbian Defense Minister Aleksandar Vulin met Yuri Khachaturov in Moscow on 25 September.",
     PUB, [("25 September", "DATE", "2017-09-25")]),
    ("The exercise will be held in Armenia on 18-21 October.",
     PUB, [("18-21 October", "DATE", "2017-10-18/2017-10-21")]),
    # a bare weekday: the last one, or the next one when the verb is future
    ("The ministers met on Friday.", PUB, [("Friday", "DATE", "2017-09-22")]),
    ("The ministers will meet on Friday.", PUB, [("Friday", "DATE", "2017-09-29")]),
    # a bare month: nearest in the direction the verb gives
    ("The talks took place in August.", "2013-03-22", [("August", "DATE", "2012-08")]),
    ("The talks will resume in June.", "2013-03-18", [("June", "DATE", "2013-06")]),
    ("Theresa May will visit Riga in May.", PUB, [("May", "DATE", "2018-05")]),
    ("The 1999 enlargement added three members.", PUB, [("1999", "DATE", "1999")]),
    ("The summit is scheduled for Dec. 15.", "2017-12-20", [("Dec. 15", "DATE", "2017-12-15")]),
    ("The summit is scheduled for March 3.", "2017-12-20", [("March 3", "DATE", "2018-03-03")]),
    ("The 90s were hard.", PUB, [("The 90s", "DATE", "199")]),
    ("Troops left in mid-1996 after the ceasefire.", PUB, [("mid-1996", "DATE", "1996")]),
    ("It will take effect at 15:00 GMT Saturday.", "2013-03-22", [("15:00 GMT Saturday", "TIME", "2013-03-23T15:00")]),
    ("The agreement, signed in 2015, runs from 18 October to 2 November.",
     PUB, [("2015", "DATE", "2015"), ("18 October to 2 November", "DATE", "2017-10-18/2017-11-02")]),
    ("He said on Sunday that the 2018 elections would be held in March.",
     PUB, [("Sunday", "DATE", "2017-09-24"), ("2018", "DATE", "2018"), ("March", "DATE", "2018-03")]),
    # the clause's own tense outranks a nearer reporting clause after the comma
    ("The two armies will hold a joint drill in March, the ministry said.", PUB, [("March", "DATE", "2018-03")]),
    ("The drill ended in March, the ministry will say.", PUB, [("March", "DATE", "2017-03")]),
    ("On Friday, the ministers will meet again.", PUB, [("Friday", "DATE", "2017-09-29")]),
])
def test_time_sentences(sentence, published, expected):
    found = find_time_expressions(sentence, published, finder=FINDER)
    assert [(e.text, e.type, e.value) for e in found] == expected
    for e in found:
        assert sentence[e.start:e.end] == e.text


@pytest.mark.parametrize("sentence,hint,expected", [
    ("The ministers met on Friday.", "future", "2017-09-29"),
    ("The ministers will meet on Friday.", "past", "2017-09-22"),
    ("The ministers will meet on Friday.", lambda start, end: None, "2017-09-22"),
])
def test_time_tense_hint(sentence, hint, expected):
    (found,) = find_time_expressions(sentence, PUB, tense_hint=hint, finder=FINDER)
    assert found.value == expected


# ---- false positives: sentences with no time expression --------------------------------

@pytest.mark.parametrize("sentence", [
    "Theresa May said the talks may continue.",
    "Protesters march to the embassy.",
    "The Sunday Times reported the deal.",
    "Thousands gathered to mark Bloody Sunday.",
    "30 Britons were evacuated.",
    "The Security Council adopted Resolution 2249 unanimously.",
    "The forum gathered 116 participants.",
    "About 2000 troops were deployed.",
    "Some 1500 people fled.",
    "The convoy of 1999 vehicles crossed the border.",
    "A second round of talks is planned.",
    "The vote was 2015 to 12.",
])
def test_time_no_false_positives(sentence):
    assert find_time_expressions(sentence, PUB, finder=FINDER) == []


def test_time_expression_is_frozen():
    (e,) = find_time_expressions("in 2018", PUB, finder=FINDER)
    assert isinstance(e, TimeExpression)
    with pytest.raises(AttributeError):
        e.value = "2019"


@pytest.mark.parametrize("published", ["27/09/2017", "yesterday"])
def test_time_bad_publication_date_says_how_to_write_it(published):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        find_time_expressions("on Friday", published, finder=FINDER)


@pytest.mark.parametrize("published", ["1998-02-06T22:19:00", "2017-09-27"])
def test_time_publication_date_with_time_part(published):
    assert resolve_date("today", published, finder=FINDER) == published[:10]


# ---- the word file: validated, and the rules read what it says ---------------------------

TIME_WORDS = BUNDLED_DATA / "time_words.yaml"


@pytest.mark.parametrize("change,message", [
    (lambda s: re.sub(r"(?m)^month_introducers:.*\n(?:  .*\n)*", "", s), "'month_introducers' is required"),
    (lambda s: s + "month_introducer: [in]\n", "'month_introducer' is not a key of this file"),
    (lambda s: s.replace("year_event_plurals: [Olympics,", "year_event_plurals: [yes,"), "year_event_plurals"),
])
def test_time_words_bad_file_is_an_error_naming_the_file(tmp_path, change, message):
    path = tmp_path / "time_words.yaml"
    path.write_text(change(TIME_WORDS.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        TimeFinder.from_file(path)
    assert "time_words.yaml" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize("key,word,sentence,bundled,edited", [
    # "May" is a month only after a word that introduces a date
    ("month_introducers", "in", "The talks resume in May.", [("May", "2018-05")], []),
    # a capitalised plural after a year counts people, unless it names an event
    ("year_event_plurals", "Olympics", "The 2012 Olympics were held in London.", [("2012", "2012")], []),
])
def test_time_words_of_the_file_are_the_ones_the_rules_read(key, word, sentence, bundled, edited):
    words = load_time_words(TIME_WORDS)
    assert [(e.text, e.value) for e in TimeFinder(TimeWords(words)).find(sentence, "2018-03-01")] == bundled
    words[key] = [w for w in words[key] if w != word]
    assert [(e.text, e.value) for e in TimeFinder(TimeWords(words)).find(sentence, "2018-03-01")] == edited


@pytest.mark.parametrize("word,number", [("Sept", 9), ("SEPT.", 9), ("september", 9), ("May", 5), ("Mayday", None),
                                         ("Septem", None)])
def test_time_words_month_names_as_a_dateline_writes_them(word, number):
    assert TimeWords(load_time_words(TIME_WORDS)).month_of(word) == number


@pytest.mark.parametrize("text,published,expected", [
    ("MOSCOW, Sept 27, 2017 (Reuters) - Russia said", None, "2017-09-27"),
    ("MOSCOW, Sept 31, 2017 (Reuters) - Russia said", None, None),      # no such day
    ("MOSCOW, Septem 27, 2017 (Reuters) - Russia said", None, None),    # no such month
])
def test_dateline_month_names_come_from_the_time_words(text, published, expected):
    assert parse_dateline(text, published).date == expected
