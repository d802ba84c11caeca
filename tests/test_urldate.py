"""The publication date an article's URL gives (read/urldate.py), and how the record takes it:
only when the article has no date of its own and no dated dateline, marked
``dateline.date_source: "url"``; the resolver dates relative expressions against it only when it
names a day."""
from __future__ import annotations

import pytest

from entente.read.dateline import parse_dateline
from entente.read.urldate import date_from_url


@pytest.mark.parametrize("url, expected", [
    # year and month as path segments, the day optional
    ("https://2009-2017.state.gov/r/pa/prs/ps/2016/05/257325.htm", "2016-05"),
    ("https://www.example.com/news/2016/05/12/talks-resume/", "2016-05-12"),
    ("https://www.example.com/world/2019/11/story.html", "2019-11"),
    ("http://example.org/2001/9/3/", "2001-09-03"),
    # eight digits as one segment
    ("https://www.example.kz/en/20220822/minister-visit", "2022-08-22"),
    ("https://example.org/a/20220822-minister-visit.html", "2022-08-22"),
    # an ISO day in a segment or a slug
    ("https://example.org/press/2021-03-04-joint-statement", "2021-03-04"),
    ("https://example.org/press/statement-2021-03-04", "2021-03-04"),
    # not dates: a year alone, impossible days and months, ids, the host, the query
    ("https://example.org/archive/2016/statement", None),
    ("https://example.org/2016/13/statement", None),
    ("https://example.org/a/20220231-story", None),
    ("https://example.org/story/123456789", None),
    ("https://2016.example.org/story", None),
    ("https://example.org/story?date=2016/05/12", None),
    ("https://example.org/a/1850/05/old", None),
    ("", None),
    (None, None),
])
def test_urldate_shapes(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("text, published, url, date, resolver_date, source", [
    # no date anywhere but in the URL: the record takes the URL's, at its precision
    ("The minister met his counterpart.", None, "https://example.org/2016/05/x.htm", "2016-05", None, "url"),
    ("The minister met his counterpart.", None, "https://example.org/2016/05/12/x", "2016-05-12", "2016-05-12", "url"),
    # a date given with the article, or a dated dateline, outranks the URL
    ("The minister met his counterpart.", "2016-06-01", "https://example.org/2016/05/12/x", "2016-06-01",
     "2016-06-01", None),
    ("MOSCOW, Sept 27, 2017 (Reuters) - The minister met.", None, "https://example.org/2016/05/12/x", "2017-09-27",
     "2017-09-27", None),
    # no URL date: nothing changes
    ("The minister met his counterpart.", None, "https://example.org/story", None, None, None),
])
def test_urldate_in_the_dateline(text, published, url, date, resolver_date, source):
    parsed = parse_dateline(text, published, {}, url=url)
    record = parsed.as_record()
    assert record["date"] == date
    assert parsed.date == resolver_date
    assert record.get("date_source") == source


@pytest.mark.parametrize("url, date, event_date", [
    ("https://example.org/news/2016/05/12/talks", "2016-05-12", "2016-05-12"),   # a day: events dated by it
    ("https://example.org/news/2016/05/talks.htm", "2016-05", None),              # a month: the article only
])
def test_urldate_in_an_extracted_record(url, date, event_date):
    from entente import extract

    record = extract("French Foreign Minister Jean Dupont met Serbian Defence Minister Petar Markovic in Paris.",
                     id="url-dated", url=url)
    assert record["dateline"]["date"] == date and record["dateline"]["date_source"] == "url"
    consult = [e for e in record["events"] if e["event"] == "CONSULT"]
    assert consult and consult[0]["date"] == event_date
