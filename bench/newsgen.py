"""A deterministic generator of English news-like articles for the linker benchmarks.

Every sentence comes from the templates and word lists below (written for this benchmark, not
taken from any text). Party names and acronyms are the real ones of the packaged KB
(``src/tribune/data/kb/organizations.csv``), so the linker meets a realistic density of names: an
article has a "home" party named again and again, first in full with its acronym in parentheses,
then by acronym or name, and a few other parties; most paragraphs name two or three.

``make_corpus(n_bytes, seed)`` returns :class:`Article` records (text, date, source_org) until
their UTF-8 size reaches ``n_bytes``; the same seed always gives the same corpus.
"""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import NamedTuple

COUNTRIES = (
    "Greece", "Portugal", "Turkey", "Brazil", "India", "South Africa", "Chile", "Spain",
    "Venezuela", "Cyprus", "Lebanon", "Japan", "Mexico", "Colombia", "Ukraine", "Iraq",
    "Nepal", "Sudan", "Belgium", "Austria", "Bangladesh", "Syria", "Peru", "Italy",
)  # fmt: skip
CITIES = (
    "Athens", "Lisbon", "İzmir", "São Paulo", "Kolkata", "Durban", "Valparaíso", "Sevilla",
    "Maracaibo", "Limassol", "Beirut", "Ōsaka", "Monterrey", "Bogotá", "Kharkiv", "Basra",
    "Kraków", "Thessaloníki", "Malmö", "Zürich", "Łódź", "Antwerpen", "Graz", "Khulna",
)  # fmt: skip
FIRST = (
    "Maria", "José", "Ayşe", "Nikos", "Thandiwe", "Rahul", "Inês", "Jürgen", "Søren", "Fatima",
    "Luis", "Elif", "Kenji", "Ana", "Dimitra", "Łukasz", "Chloé", "Mehmet", "Olga", "Pedro",
)  # fmt: skip
LAST = (
    "Papadaki", "Gonçalves", "Özdemir", "Dlamini", "Banerjee", "Müller", "Dvořák", "Haddad",
    "Yamada", "Ferreira", "Çelik", "Kowalczyk", "Núñez", "Nkosi", "Petrova", "Andersen",
)  # fmt: skip
WORKERS = (
    "dockers", "teachers", "nurses", "miners", "bus drivers", "steelworkers", "farm labourers",
    "textile workers", "cleaners", "rail workers", "call-centre staff", "refinery workers",
)  # fmt: skip
SECTORS = ("port", "railway", "steel", "textile", "cement", "energy", "food", "shipyard")
COMPANY_A = ("Nordal", "Vestra", "Kappel", "Orinoco", "Marvel", "Sidera", "Tamsin", "Holm")
COMPANY_B = ("Shipping", "Holdings", "Industries", "Logistics", "Energy", "Foods", "Steel")
GOODS = ("bread", "cooking oil", "electricity", "heating gas", "milk", "rice", "bus fares")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = ("3rd", "7th", "10th", "12th", "15th", "19th", "20th", "21st", "22nd", "24th")
DEMANDS = (
    "a freeze on prices", "the nationalisation of the ports", "an end to the war",
    "free public health care", "a 35-hour week", "the release of the arrested strikers",
)  # fmt: skip
QUOTES = (
    "No worker should have to choose between heating and eating",
    "They found billions for the banks and nothing for the hospitals",
    "Our answer is organisation, not resignation",
    "This struggle is not over; it has only begun",
    "Peace will not come from those who profit from war",
    "We want collective agreements, not promises on television",
    "Every price rise is a wage cut that nobody voted for",
)  # fmt: skip

HEADLINES = (
    "{P} calls for {demand}",
    "Strike at {company} enters its {ordinal} day",
    "{ordinal} Congress of {P} opens in {city}",
    "Statement of {P} on the elections in {country}",
    "{P}: “{quote}”",
    "Prices up {pct} in {month}; {P} demands action",
)  # fmt: skip
TOPICS: dict[str, tuple[str, ...]] = {
    "congress": (
        "The {ordinal} Congress of {P} opened in {city} on {date} with {num} delegates.",
        "Delegates elected a Central Committee of {n} members and adopted the political "
        "resolution by {n} votes to {small}.",
        "In the opening report, {person} said that {P} had grown by {pct} since the previous "
        "congress.",
        "Fraternal delegations from {P2} and {P3} attended the sessions, and {P2} sent a message "
        "of greetings.",
        "The congress closed on {weekday} with a call to prepare for the {year} elections.",
    ),
    "strike": (
        "{num} {workers} walked out at the {company} {sector} plant in {city} on {weekday}, "
        "demanding a wage rise of {pct}.",
        "The strike, backed by {P}, halted production for {small} days.",
        "“{quote},” said {person}, a shop steward with {small} years at the plant.",
        "Police detained {small} pickets outside the gates, according to a statement from {P}.",
        "Management offered {pct}, which the strike committee rejected as “an insult”.",
    ),
    "election": (
        "{P} won {pct} of the vote in the {year} parliamentary elections, up from {pct} four "
        "years earlier.",
        "Turnout fell to {pct}, the lowest since {year}.",
        "The party now holds {small} of the {n} seats in the national assembly.",
        "In {city}, {P} came second behind {P2}, with {num} votes.",
        "{P2} described the campaign as one of intimidation and a media blackout (see p. {small}).",
    ),
    "government": (
        "The government of {country} announced a budget that cuts hospital spending by {money}.",
        "{P} said the measures would shift the burden of the crisis onto working families.",
        "Ministers defended the plan, arguing that the deficit had reached {pct} of GDP.",
        "Parliament approved the bill late on {weekday} by {n} votes to {small}, with {P} "
        "voting against.",
        "On {date}, {person} of {P} asked the minister why the banks had received {money}.",
    ),
    "prices": (
        "The price of {good} rose by {pct} in {month}, while rents in {city} climbed {pct}.",
        "A litre of diesel now costs {price}, against {price} a year ago.",
        "{P} called for a freeze on the prices of basic goods and for wages indexed to inflation.",
        "According to figures published by {P} on {date}, a family of four spends {pct} of its "
        "income on food.",
        "“{quote},” {person} told a meeting of {num} pensioners.",
    ),
    "war": (
        "{P} condemned the bombing of {city} and demanded the withdrawal of foreign troops from "
        "{country}.",
        "More than {num} people have been displaced since the fighting began in {month} {year}.",
        "In a joint statement, {P} and {P2} warned against new missile bases in Europe.",
        "Anti-war rallies were held in {small} cities on {weekday}; the largest, in {city}, drew "
        "{num} people.",
        "“{quote},” {person} of {P} told the crowd.",
    ),
}
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_PAREN = re.compile(r"\s*\([^)]*\)$")


class Article(NamedTuple):
    """One text to link, with the metadata the linker takes."""

    text: str
    date: date
    source_org: str | None


class Party(NamedTuple):
    id: str
    name: str
    native: str
    acronyms: tuple[str, ...]


def load_parties() -> list[Party]:
    """The organisations of the packaged KB, with their English name, native name, acronyms."""
    text = (resources.files("tribune.data") / "kb" / "organizations.csv").read_text("utf-8")
    return [
        Party(
            row["id"],
            _PAREN.sub("", row["name_en"]),
            row["native_name"],
            tuple(a for a in row["acronyms"].split("|") if a),
        )
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


@dataclass
class _Writer:
    rng: random.Random
    parties: list[Party]
    home: Party
    named: set[str] = field(default_factory=set)

    def party(self, other: bool = False) -> str:
        """A mention: the home party most of the time, in full the first time, then varied."""
        p = self.rng.choice(self.parties) if other or self.rng.random() < 0.3 else self.home
        first = p.id not in self.named
        self.named.add(p.id)
        the = "the " if " " in p.name else ""
        if first and p.acronyms:
            return f"{the}{p.name} ({p.acronyms[0]})"
        if p.acronyms and self.rng.random() < 0.5:
            return f"{the}{self.rng.choice(p.acronyms)}"
        if p.native and self.rng.random() < 0.1:
            return p.native
        return f"{the}{p.name}"

    def fill(self, template: str, day: date) -> str:
        """*template* with its slots filled; each numeric slot draws a new value."""
        text = template.format_map(_Slots(self, day))
        return text[0].upper() + text[1:]


class _Slots(dict[str, str]):
    """The values of one sentence's slots: parties fixed per sentence, the rest drawn anew."""

    def __init__(self, writer: _Writer, day: date) -> None:
        super().__init__()
        self.writer, self.day = writer, day

    def __missing__(self, key: str) -> str:
        r, day = self.writer.rng, self.day
        if key in ("P", "P2", "P3"):
            self[key] = self.writer.party(other=key != "P")
            return self[key]
        draw = {
            "country": lambda: r.choice(COUNTRIES),
            "city": lambda: r.choice(CITIES),
            "person": lambda: f"{r.choice(FIRST)} {r.choice(LAST)}",
            "workers": lambda: r.choice(WORKERS),
            "sector": lambda: r.choice(SECTORS),
            "company": lambda: f"{r.choice(COMPANY_A)} {r.choice(COMPANY_B)}",
            "good": lambda: r.choice(GOODS),
            "weekday": lambda: r.choice(WEEKDAYS),
            "month": lambda: r.choice(MONTHS),
            "ordinal": lambda: r.choice(ORDINALS),
            "demand": lambda: r.choice(DEMANDS),
            "quote": lambda: r.choice(QUOTES),
            "num": lambda: f"{r.randrange(200, 90_000):,}",
            "n": lambda: str(r.randrange(50, 400)),
            "small": lambda: str(r.randrange(2, 40)),
            "pct": lambda: f"{r.randrange(1, 60)}.{r.randrange(10)}%",
            "price": lambda: f"€{r.randrange(1, 3)}.{r.randrange(100):02d}",
            "money": lambda: f"€{r.randrange(2, 900)} {r.choice(('million', 'billion'))}",
            "year": lambda: str(r.randrange(1995, day.year + 1)),
            "date": lambda: f"{r.randrange(1, 29)} {r.choice(MONTHS)} {day.year}",
        }
        return draw[key]()


def make_article(rng: random.Random, parties: list[Party], size: int) -> Article:
    """An article of about *size* characters (never more than ``size + 600``)."""
    home = rng.choice(parties)
    day = date(2000, 1, 1) + timedelta(days=rng.randrange(25 * 365))
    writer = _Writer(rng, parties, home)
    lines = [writer.fill(rng.choice(HEADLINES), day), ""]
    length = 0
    while length < size:
        sentences = list(TOPICS[rng.choice(tuple(TOPICS))])
        rng.shuffle(sentences)
        paragraph = " ".join(writer.fill(s, day) for s in sentences[: rng.randrange(3, 6)])
        lines.append(paragraph)
        length += len(paragraph) + 1
    source = home.id if rng.random() < 0.3 else None
    return Article("\n".join(lines), day, source)


def make_corpus(n_bytes: int, seed: int = 20240501) -> list[Article]:
    """Articles of 2,000–5,000 characters until their UTF-8 size reaches *n_bytes*."""
    rng = random.Random(seed)
    parties = load_parties()
    articles: list[Article] = []
    total = 0
    while total < n_bytes:
        article = make_article(rng, parties, rng.randrange(1_800, 4_400))
        articles.append(article)
        total += len(article.text.encode("utf-8"))
    return articles


if __name__ == "__main__":
    for a in make_corpus(8_000, seed=1)[:2]:
        print(a.date, a.source_org, len(a.text), "\n" + a.text + "\n")
