"""Everything extraction reads from the data folder, in one object: :class:`Resources`.

A Resources holds one data folder's dictionaries (actors, offices, sector words, people,
leaders), event patterns, named-event words, time words, place aliases with the GeoNames
place index, and the spaCy pipeline whose entity ruler is fed from those dictionaries. Each
part is loaded on first use, once, and kept for the life of the object; nothing is read
when this module (or any module of extraction) is imported.

Extraction is a pure function of the article and a Resources::

    from entente.extract import extract
    from entente.resources import Resources

    mine = Resources("/path/to/my/data")          # a copy of src/entente/data, edited
    record = extract(text, resources=mine)

Without one, :func:`default_resources` gives the Resources of the current settings
(``model``, ``data_dir``): pointing ``ENTENTE_DATA_DIR`` at another folder gives that
folder's records from the next call on, in the same process.

Which file a part reads from the data folder:

- the dictionaries (countries.jsonl, organizations.jsonl, ...): the folder's; a file it
  does not hold is empty (``entente.dictionaries.FILES``);
- the patterns: the folder's ``patterns/`` when it has one, else the bundled patterns;
- the word files (``grammar.yaml``, ``named_events.yaml``, ``time_words.yaml``,
  ``dateline_words.yaml``, ``people_words.yaml``, ``place_words.yaml``) and ``place_aliases.jsonl``:
  the folder's when it holds the file, else the bundled one.
"""
from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings

if TYPE_CHECKING:
    import re

    from spacy.language import Language

    from .dictionaries import Dictionaries
    from .events.grammar import Grammar
    from .events.patterns import PatternSet
    from .read.dateline import DatelineFinder, DatelineWords
    from .resolve.named_events import NamedEventWords
    from .resolve.known_people import KnownPeople
    from .resolve.people import OfficeMatcher, PeopleWords
    from .resolve.places import Gazetteer, PlaceWords
    from .resolve.time import TimeFinder

#: the data folder shipped with the package
BUNDLED_DATA = Path(__file__).resolve().parent / "data"
#: how many default Resources (one per model and data folder) are kept alive at once
DEFAULT_KEEP = 2


class Resources:
    """The data of one data folder and one spaCy model, each part loaded once, on first use.

    ``data_dir``: the folder (default: the ``data_dir`` setting, else the bundled data);
    ``model``: the spaCy pipeline (default: the ``model`` setting). The settings are read
    when the object is made, never later.
    """

    def __init__(self, data_dir: Path | str | None = None, *, model: str | None = None):
        self.data_dir = Path(data_dir or settings.get("data_dir") or BUNDLED_DATA)
        self.model = model or settings.get("model")

    def __repr__(self) -> str:
        return f"Resources({str(self.data_dir)!r}, model={self.model!r})"

    def file(self, name: str) -> Path:
        """A word or alias file of the data folder: the folder's, else the bundled one."""
        own = self.data_dir / name
        return own if own.exists() else BUNDLED_DATA / name

    # --- the data files ---------------------------------------------------------------------
    @cached_property
    def dictionaries(self) -> Dictionaries:
        """Actors, organisations, groups, agencies, publishers, offices, sector words, people."""
        from .dictionaries import load_dictionaries

        return load_dictionaries(self.data_dir)

    @cached_property
    def patterns(self) -> PatternSet:
        """The event patterns (``patterns/*.yaml``)."""
        from .events.patterns import load_patterns, pattern_dir

        return load_patterns(pattern_dir(self.data_dir))

    @cached_property
    def grammar(self) -> Grammar:
        """The coder's grammar words (``grammar.yaml``)."""
        from .events.grammar import GRAMMAR_FILE, load_grammar

        return load_grammar(self.file(GRAMMAR_FILE))

    @cached_property
    def named_event_words(self) -> NamedEventWords:
        """The head words, organiser and participant words of named events."""
        from .resolve.named_events import WORDS_FILE, load_named_event_words

        return load_named_event_words(self.file(WORDS_FILE))

    @cached_property
    def time_finder(self) -> TimeFinder:
        """The time expression rules, compiled over ``time_words.yaml``."""
        from .resolve.time import TimeFinder

        return TimeFinder.from_file(self.file("time_words.yaml"))

    @cached_property
    def dateline_words(self) -> DatelineWords:
        """The words of the lines a page puts before its dateline (stamps, bylines, credits)."""
        from .read.dateline import WORDS_FILE, load_dateline_words

        return load_dateline_words(self.file(WORDS_FILE))

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """Place names to places: the countries, GeoNames' cities and US states, the aliases."""
        from .resolve.places import ALIASES_FILE, Gazetteer

        return Gazetteer.build(self.dictionaries.countries, self.file(ALIASES_FILE), self.place_words)

    @cached_property
    def place_words(self) -> PlaceWords:
        """The words that resolve places (``place_words.yaml``): region, facility and site words."""
        from .resolve.places import WORDS_FILE, load_place_words

        return load_place_words(self.file(WORDS_FILE))

    # --- tables derived from the dictionaries -----------------------------------------------
    @cached_property
    def sectors(self) -> dict[tuple[str, ...], str]:
        """Agent words as lower-case token tuples -> sector ("army" -> MIL)."""
        from .resolve.actors import sector_matcher_table

        return sector_matcher_table(self.dictionaries)

    @cached_property
    def office_forms(self) -> frozenset[tuple[str, ...]]:
        """Office titles as lower-case token tuples."""
        from .resolve.actors import office_forms

        return office_forms(self.dictionaries)

    @cached_property
    def office_heads(self) -> frozenset[str]:
        """The last word of every office title ("minister", "secretary"): an office set beside a
        name ("Chad Johnson, a defence minister,")."""
        return frozenset(form[-1] for form in self.office_forms)

    @cached_property
    def via(self) -> re.Pattern:
        """The expression that finds the agencies a story came through ("BelTA has learned")."""
        from .read.dateline import via_pattern

        return via_pattern(self.dictionaries.agency_names)

    @cached_property
    def dateline_finder(self) -> DatelineFinder:
        """The dateline shapes over the agencies, the month names and the page words, with the
        gazetteer to tell a city from another capitalised word."""
        from .read.dateline import DatelineFinder

        gazetteer = self.gazetteer

        def place_kind(name: str) -> str | None:
            place = gazetteer.resolve_cached(name, ())
            if place is None:
                return None
            country = gazetteer.for_country(place.country or "")
            return "country" if country is not None and country.name == place.name else "city"

        return DatelineFinder(self.dictionaries.agency_names, self.time_finder.words, self.dateline_words,
                              place_kind=place_kind, via=self.via)

    # --- the NLP ------------------------------------------------------------------------------
    @cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline of ``model`` with the entity ruler of the dictionaries."""
        from .nlp.pipeline import build_pipeline

        return build_pipeline(self.model, self.dictionaries)

    @cached_property
    def office_matcher(self) -> OfficeMatcher:
        """The office titles (and their plurals), tokenized by the pipeline's tokenizer."""
        from .resolve.people import OfficeMatcher

        return OfficeMatcher(self.nlp.make_doc, self.dictionaries.offices)

    @cached_property
    def known_people(self) -> KnownPeople:
        """The people of office_holders.jsonl, leaders.jsonl and people.jsonl with their dated roles."""
        from .resolve.known_people import KnownPeople

        return KnownPeople(self.dictionaries)

    @cached_property
    def people_words(self) -> PeopleWords:
        """The words that resolve people and offices (``people_words.yaml``)."""
        from .resolve.people import WORDS_FILE, load_people_words

        return load_people_words(self.file(WORDS_FILE))

    def load(self) -> Resources:
        """Load every part now (a worker does this before its first article)."""
        for part in ("dictionaries", "patterns", "grammar", "named_event_words", "time_finder", "dateline_words",
                     "place_words", "gazetteer", "sectors", "office_forms", "office_heads", "via", "dateline_finder", "nlp", "office_matcher",
                     "known_people", "people_words"):
            getattr(self, part)
        return self


_defaults: dict[tuple[str, str], Resources] = {}
_defaults_lock = threading.Lock()


def default_resources() -> Resources:
    """The Resources of the current settings (``model``, ``data_dir``): one per pair, made on
    first use; the last :data:`DEFAULT_KEEP` pairs are kept."""
    key = (settings.get("model"), str(Path(settings.get("data_dir") or BUNDLED_DATA)))
    with _defaults_lock:
        found = _defaults.pop(key, None)
        if found is None:
            found = Resources(key[1], model=key[0])
        _defaults[key] = found   # most recently used last
        while len(_defaults) > DEFAULT_KEEP:
            _defaults.pop(next(iter(_defaults)))
        return found
