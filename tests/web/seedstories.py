"""Items for the stories stage: one event told by three parties in three languages (one of
them in two editions), and an unrelated statement of the same days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from seed import BASE, add_item, add_source, publish_directly

from tribune.db.engine import Database
from tribune.understand import story_stage

STRIKE_EN = (
    "General strike on 16 April paralyses Greece",
    "The Communist Party of Greece salutes the workers of Piraeus and Thessaloniki. On 16 April "
    "the general strike against the labour bill stopped ports, trains and 1,200 workplaces.",
)
STRIKE_EL = (
    "Γενική απεργία στις 16 Απριλίου παρέλυσε την Ελλάδα",
    "Το ΚΚΕ χαιρετίζει τους εργάτες του Πειραιά και της Θεσσαλονίκης. Στις 16 Απριλίου η "
    "γενική απεργία ενάντια στο νομοσχέδιο σταμάτησε λιμάνια, τρένα και 1.200 χώρους δουλειάς.",
)
STRIKE_TR = (
    "Yunanistan'da 16 Nisan genel grevi",
    "Türkiye Komünist Partisi, Pire ve Selanik işçilerini selamlıyor. 16 Nisan'da çalışma "
    "yasasına karşı genel grev limanları, trenleri ve 1.200 işyerini durdurdu.",
)
STRIKE_PT = (
    "Grécia: greve geral de 16 de abril",
    "O PCP saúda os trabalhadores do Pireu e de Salónica. A greve geral de 16 de abril contra a "
    "lei laboral parou portos, comboios e 1.200 locais de trabalho na Grécia.",
)
OTHER = (
    "Statement on the municipal budget of Lisbon",
    "The Portuguese Communist Party rejects the housing cuts in the municipal budget of Lisbon "
    "approved yesterday by the council majority.",
)
GREECE = (("country", "GR"),)


@dataclass
class StorySeed:
    ids: dict[str, str] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)


def seed_strike(db: Database, *, publish: bool = True, run: bool = True) -> StorySeed:
    """KKE in English and Greek (one statement), TKP in Turkish a day later; PCP's unrelated
    statement the same day. With *run*, the stories stage places them."""
    seed = StorySeed()
    seed.sources = {
        "kke": add_source(db, "gr-kke", "http://kke.example/strike.rss"),
        "tkp": add_source(db, "tr-tkp", "http://tkp.example/strike.rss"),
        "pcp": add_source(db, "pt-pcp", "http://pcp.example/strike.rss"),
    }
    day = BASE
    plan = [
        ("kke-el", "kke", STRIKE_EL, "el", day, GREECE),
        ("kke-en", "kke", STRIKE_EN, "en", day + timedelta(hours=2), GREECE),
        ("tkp", "tkp", STRIKE_TR, "tr", day + timedelta(days=1), GREECE),
        ("pcp-other", "pcp", OTHER, "en", day + timedelta(days=1, hours=1), ()),
    ]
    for key, source, (title, body), language, when, links in plan:
        seed.ids[key] = add_item(
            db, seed.sources[source], title, body, language=language, when=when, links=links
        )
        if publish:
            publish_directly(db, seed.ids[key])
    if run:
        story_stage.run(db, pending=True)
    return seed


def add_late_voice(db: Database, seed: StorySeed, *, publish: bool = True) -> str:
    """PCP on the strike, two days after KKE."""
    title, body = STRIKE_PT
    public_id = add_item(
        db,
        seed.sources["pcp"],
        title,
        body,
        language="pt",
        when=BASE + timedelta(days=2),
        links=GREECE,
    )
    if publish:
        publish_directly(db, public_id)
    seed.ids["pcp"] = public_id
    return public_id
