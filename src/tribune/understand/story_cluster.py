"""Online story clustering: each item, in the order it was published, joins a story or waits.

The method is single-pass and incremental, so a story that editors have accepted is never
reshuffled: an item only ever joins a story; nothing leaves one.

For a new item, every item of the pool published within :data:`WINDOW_DAYS` days is scored
(:func:`similarity`):

- within one language, by the cosine of their words, or by the cross-language evidence when
  that is higher;
- across languages, by the shared entities (events, people, countries, organisations other
  than the publisher), the shared names and the shared numbers, weighted by their rarity;
- the score fades once the two dates are more than :data:`CLOSE_DAYS` apart, to nothing at
  :data:`WINDOW_DAYS`: a strike is answered within days, a commemoration within a week or two.

**Editions** come first. An item from the same organisation as an earlier one, in another
language, within :data:`EDITION_DAYS` days, that scores :data:`EDITION` or more against it is
the same statement in another language: it becomes an edition of the earliest one and follows
it into its story; it is never a second voice in that story.

Then the item joins the story of its best-scoring neighbour when that score reaches
:data:`JOIN`. When the neighbour is in no story yet, the two start a candidate story (with
their editions). Below the threshold the item waits, alone, for a later item to find it.

The thresholds were set on the spring half of the labelled set (``eval/stories.jsonl``, ids
``s-a-…``) and checked on the autumn half (``s-b-…``); bench/stories_quality.py reports both.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from tribune.understand.story_docs import Doc, Rarity, Vectors

WINDOW_DAYS = 10.0
CLOSE_DAYS = 3.0
EDITION_DAYS = 2.0
JOIN = 0.15
EDITION = 0.1
KEY_WORDS = 12
COMMON_TERM = 100
NEIGHBOURS = 30


def _terms(doc: Doc, vectors: Vectors) -> set[str]:
    """What finds an item's possible neighbours: its publisher (for editions), its entities,
    and its :data:`KEY_WORDS` heaviest words, names and numbers."""

    def heaviest(vector: dict[str, float]) -> list[str]:
        return heapq.nlargest(KEY_WORDS, vector, key=vector.__getitem__)

    return (
        {f"w:{doc.language}:{w}" for w in heaviest(vectors.words)}
        | {f"e:{e}" for e in doc.entities}
        | {f"n:{n}" for n in heaviest(vectors.names)}
        | {f"#:{n}" for n in heaviest(vectors.numbers)}
        | ({f"o:{doc.org}"} if doc.org else set())
    )


def _days(a: Doc, b: Doc) -> float:
    return abs((a.when - b.when).total_seconds()) / 86_400


def similarity(a: Doc, va: Vectors, b: Doc, vb: Vectors) -> float:
    """How likely *a* and *b* tell one story, 0–1 (see the module docstring)."""
    days = _days(a, b)
    if days > WINDOW_DAYS:
        return 0.0
    cross = 0.5 * va.entities_like(vb) + 0.3 * va.names_like(vb) + 0.2 * va.numbers_like(vb)
    score = max(va.words_like(vb), cross) if a.language == b.language else cross
    if days > CLOSE_DAYS:
        score *= 1 - (days - CLOSE_DAYS) / (WINDOW_DAYS - CLOSE_DAYS)
    return score


@dataclass
class Placed:
    """Where an item ended up: its story (a cluster key) and the statement it is an edition
    of, with the score and the neighbour that decided it."""

    key: int
    story: int | None
    edition_of: int | None
    score: float
    neighbour: int | None


@dataclass
class _Member:
    doc: Doc
    vectors: Vectors
    placed: Placed

    def __post_init__(self) -> None:
        self.stamp = self.doc.when.timestamp()


class Clusterer:
    """The pool of recent items and the stories they are in; :meth:`add` places one more.

    Stories are named by keys: an existing story's key (given with the items already in it)
    or, for a story started here, :meth:`new_story`'s keys, counted down from -1 so they never
    meet a stored one.
    """

    def __init__(self, rarity: Rarity) -> None:
        self.rarity = rarity
        self._members: list[_Member] = []
        self._by_key: dict[int, _Member] = {}
        self._postings: dict[str, list[_Member]] = {}
        self._editions: dict[int, list[_Member]] = {}
        self._next_new = -1

    def new_story(self) -> int:
        key, self._next_new = self._next_new, self._next_new - 1
        return key

    def known(self, doc: Doc, *, story: int | None, edition_of: int | None) -> None:
        """Put an item placed earlier into the pool, as it was placed."""
        self._remember(doc, Placed(doc.key, story, edition_of, 0.0, None))

    def _remember(self, doc: Doc, placed: Placed, vectors: Vectors | None = None) -> None:
        member = _Member(doc, vectors or Vectors.of(doc, self.rarity), placed)
        self._members.append(member)
        self._by_key[doc.key] = member
        for term in _terms(doc, member.vectors):
            self._postings.setdefault(term, []).append(member)
        if placed.edition_of is not None:
            self._editions.setdefault(placed.edition_of, []).append(member)

    def _neighbours(self, doc: Doc, vectors: Vectors) -> list[_Member]:
        """The members worth scoring against *doc*, within the window: the
        :data:`NEIGHBOURS` that share the most rare terms with it (a term counts the more,
        the fewer members have it), and the publisher's items in other languages of the
        last days (its editions). A term more than :data:`COMMON_TERM` members share is not
        followed: it weighs too little to make two items alike, and following it would
        compare every item with every other."""
        hits: dict[int, float] = {}
        found: dict[int, _Member] = {}
        editions: list[_Member] = []
        for term in _terms(doc, vectors):
            posting = self._postings.get(term, ())
            if term.startswith("o:"):
                editions.extend(
                    m
                    for m in posting
                    if m.doc.language != doc.language and _days(doc, m.doc) <= EDITION_DAYS
                )
                continue
            if not posting or len(posting) > COMMON_TERM:
                continue
            weight = math.log(1 + len(self._members) / len(posting))
            for member in posting:
                key = member.doc.key
                hits[key] = hits.get(key, 0.0) + weight
                found[key] = member
        stamp, reach = doc.when.timestamp(), WINDOW_DAYS * 86_400
        near = [key for key in hits if abs(found[key].stamp - stamp) <= reach]
        best = heapq.nlargest(NEIGHBOURS, near, key=hits.__getitem__)
        chosen = {key: found[key] for key in best}
        chosen.update((m.doc.key, m) for m in editions)
        return list(chosen.values())

    def _story_of(self, member: _Member) -> int | None:
        """A member's story: its own, or the story of the statement it is an edition of."""
        if member.placed.story is not None or member.placed.edition_of is None:
            return member.placed.story
        root = self._by_key.get(member.placed.edition_of)
        return None if root is None else root.placed.story

    def _group(self, key: int) -> list[_Member]:
        """The item's statement with all its editions (those in the pool)."""
        root = self._by_key[key].placed.edition_of or key if key in self._by_key else key
        head = [self._by_key[root]] if root in self._by_key else []
        return head + self._editions.get(root, [])

    def add(self, doc: Doc) -> Placed:
        """Place *doc* (published no earlier than the pool, as far as order matters)."""
        vectors = Vectors.of(doc, self.rarity)
        scored = [
            (similarity(doc, vectors, m.doc, m.vectors), m) for m in self._neighbours(doc, vectors)
        ]
        edition = max(
            (
                (s, m)
                for s, m in scored
                if m.doc.org is not None
                and m.doc.org == doc.org
                and m.doc.language != doc.language
                and _days(doc, m.doc) <= EDITION_DAYS
                and s >= EDITION
            ),
            default=None,
            key=lambda pair: pair[0],
        )
        if edition is not None:
            root = edition[1].placed.edition_of or edition[1].doc.key
            if all(m.doc.language != doc.language for m in self._group(root)):
                root_member = self._by_key.get(root, edition[1])
                placed = Placed(
                    doc.key, root_member.placed.story, root, edition[0], edition[1].doc.key
                )
                self._remember(doc, placed, vectors)
                return placed
        own = {m.doc.key for m in self._group(doc.key)} if doc.key in self._by_key else set()
        best = max(
            ((s, m) for s, m in scored if m.doc.key not in own),
            default=None,
            key=lambda pair: pair[0],
        )
        if best is None or best[0] < JOIN:
            placed = Placed(doc.key, None, None, best[0] if best else 0.0, None)
            self._remember(doc, placed, vectors)
            return placed
        score, neighbour = best
        story = self._story_of(neighbour)
        if story is None:
            story = self.new_story()
            for member in self._group(neighbour.doc.key):
                member.placed.story = story
        placed = Placed(doc.key, story, None, score, neighbour.doc.key)
        self._remember(doc, placed, vectors)
        return placed

    def placed(self) -> list[Placed]:
        return [m.placed for m in self._members]
