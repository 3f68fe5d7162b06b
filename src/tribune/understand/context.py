"""What a text tells about itself: the countries it names, the organisations it is sure of.

Ambiguous names ("CPI", "PCP", "the Communist Party") are resolved against this context. Each
kind of evidence has a weight; the weights are set so that one strong signal (the publishing
organisation, a country named in the text, the same organisation named in full elsewhere in the
text) decides, and priors (network membership) only break ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tribune.understand.lexicon import Lexicon, OrgInfo

W_SOURCE = 3.0  # the publishing organisation itself
W_SOURCE_FAMILY = 2.0  # its parent party or its youth wing / paper
W_SOURCE_COUNTRY = 1.5  # same country as the publisher
W_COUNTRY_NAMED = 2.0  # the text names the country
W_COUNTRY_IMPLIED = 1.0  # another organisation of that country is named
W_COREFERENCE = 3.0  # the same organisation is named unambiguously elsewhere in the text
W_LANGUAGE = 1.0  # the text is written in an official language of the country (not English)
MARGIN = 1.0  # how far the best candidate must lead
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


@dataclass
class Context:
    """Evidence gathered from one text (and its metadata) before ambiguous names are resolved."""

    lexicon: Lexicon
    source: OrgInfo | None = None
    countries_named: set[str] = field(default_factory=set)
    countries_implied: set[str] = field(default_factory=set)
    orgs_sure: set[str] = field(default_factory=set)
    country_spans: list[tuple[int, int, str]] = field(default_factory=list)
    text: str = ""
    _language_countries: frozenset[str] | None = None

    def evidence(self, org_id: str) -> float:
        """The context score of one candidate organisation (0 when nothing speaks for it)."""
        info = self.lexicon.orgs.get(org_id)
        if info is None:
            return 0.0
        score = 0.0
        source = self.source
        if source is not None:
            if source.id == org_id:
                score += W_SOURCE
            elif org_id == source.parent_id or info.parent_id == source.id:
                score += W_SOURCE_FAMILY
            elif info.country is not None and info.country == source.country:
                score += W_SOURCE_COUNTRY
        if info.country is not None:
            if info.country in self.countries_named:
                score += W_COUNTRY_NAMED
            elif info.country in self.countries_implied:
                score += W_COUNTRY_IMPLIED
        if org_id in self.orgs_sure:
            score += W_COREFERENCE
        return score

    def strong(self, org_id: str, *, implied: bool = False) -> bool:
        """Evidence of the strong kinds: the publisher, its family, a country the text names (or,
        with ``implied``, the country of an organisation it names), or the organisation named
        unambiguously elsewhere in the text."""
        info = self.lexicon.orgs.get(org_id)
        if info is None:
            return False
        source = self.source
        if source is not None and org_id in (source.id, source.parent_id):
            return True
        if source is not None and info.parent_id == source.id:
            return True
        if implied and info.country in self.countries_implied:
            return True
        return org_id in self.orgs_sure or info.country in self.countries_named

    def named_nearby(self, org_id: str, start: int, end: int) -> bool:
        """Whether the organisation's country is named in the same sentence as the span."""
        info = self.lexicon.orgs.get(org_id)
        if info is None or info.country is None:
            return False
        for s, e, code in self.country_spans:
            if code != info.country:
                continue
            between = self.text[min(e, start) : max(s, end)]
            if not _SENTENCE_END.search(between):
                return True
        return False

    def sure(self, org_id: str) -> bool:
        """The publisher itself, or named unambiguously elsewhere in the text."""
        source = self.source
        return org_id in self.orgs_sure or (source is not None and source.id == org_id)

    def language_evidence(self, org_id: str) -> float:
        """Weak evidence from the text's language: "DKP" in German is the German party.

        English is the common language of the movement's press and says nothing; the language is
        detected only when asked, as the model takes time to load.
        """
        if self._language_countries is None:
            from tribune.understand.lang import detect_language

            language = detect_language(self.text)
            speaking = (
                frozenset()
                if language in (None, "en")
                else self.lexicon.countries.speaking(str(language))
            )
            self._language_countries = speaking
        info = self.lexicon.orgs.get(org_id)
        if info is None or info.country not in self._language_countries:
            return 0.0
        return W_LANGUAGE

    def prior(self, org_id: str) -> float:
        """Tie-breakers only: network members before other parties, seed before world data."""
        info = self.lexicon.orgs.get(org_id)
        if info is None:
            return 0.0
        return (0.5 if info.network_member else 0.0) + (0.25 if info.seed else 0.0)
