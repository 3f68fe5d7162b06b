"""Generate ``src/tribune/data/countries.json`` from CLDR data shipped with babel.

Run once by developers after a babel/CLDR upgrade::

    .venv/bin/python tools/gen_countries.py

babel is a development dependency only: the runtime module ``tribune.kb.countries``
reads the generated JSON and never imports babel.

What the file holds, per country code:

* ``name_en``: the CLDR English name;
* ``region`` / ``subregion``: the UN M.49 region and sub-region (the intermediate region
  where M.49 has one, e.g. "South America" rather than "Latin America and the Caribbean",
  "Southern Africa" rather than "Sub-Saharan Africa");
* ``names``: every distinct CLDR name of the country in every babel locale, mapped to the
  sorted list of languages (the language part of the locale ids) that use it.

babel 2.19 does not carry CLDR's territory containment (``get_global`` has no such key),
nor the ``-alt-short`` / ``-alt-variant`` territory names, so both come from the small
hand tables below: ``_M49`` (M.49 sub-region code of every country) and ``_EXTRA_EN_NAMES``
(the English alternative names CLDR has but babel drops, plus a few very common English
forms). The output is deterministic: re-running it gives a byte-identical file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.core import get_global
from babel.languages import get_official_languages
from babel.localedata import load, locale_identifiers

OUTPUT = Path(__file__).resolve().parent.parent / "src" / "tribune" / "data" / "countries.json"

# M.49 regions and the (intermediate) sub-regions used here, with their official English names.
_REGIONS: dict[str, str] = {
    "002": "Africa",
    "019": "Americas",
    "142": "Asia",
    "150": "Europe",
    "009": "Oceania",
}
_SUBREGIONS: dict[str, tuple[str, str]] = {
    # code: (region code, English name)
    "011": ("002", "Western Africa"),
    "014": ("002", "Eastern Africa"),
    "015": ("002", "Northern Africa"),
    "017": ("002", "Middle Africa"),
    "018": ("002", "Southern Africa"),
    "005": ("019", "South America"),
    "013": ("019", "Central America"),
    "021": ("019", "Northern America"),
    "029": ("019", "Caribbean"),
    "030": ("142", "Eastern Asia"),
    "034": ("142", "Southern Asia"),
    "035": ("142", "South-eastern Asia"),
    "143": ("142", "Central Asia"),
    "145": ("142", "Western Asia"),
    "039": ("150", "Southern Europe"),
    "151": ("150", "Eastern Europe"),
    "154": ("150", "Northern Europe"),
    "155": ("150", "Western Europe"),
    "053": ("009", "Australia and New Zealand"),
    "054": ("009", "Melanesia"),
    "057": ("009", "Micronesia"),
    "061": ("009", "Polynesia"),
}

# M.49 sub-region of every ISO 3166-1 country, plus TW and XK placed as CLDR places them
# (M.49 itself lists neither). AQ (Antarctica) belongs to no M.49 region.
_M49_MEMBERS: dict[str, str] = {
    "015": "DZ EG EH LY MA SD TN",
    "014": "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    "017": "AO CD CF CG CM GA GQ ST TD",
    "018": "BW LS NA SZ ZA",
    "011": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "029": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    "013": "BZ CR GT HN MX NI PA SV",
    "005": "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    "021": "BM CA GL PM US",
    "143": "KG KZ TJ TM UZ",
    "030": "CN HK JP KP KR MN MO TW",
    "035": "BN ID KH LA MM MY PH SG TH TL VN",
    "034": "AF BD BT IN IR LK MV NP PK",
    "145": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "151": "BG BY CZ HU MD PL RO RU SK UA",
    "154": "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",
    "039": "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    "155": "AT BE CH DE FR LI LU MC NL",
    "053": "AU CC CX HM NF NZ",
    "054": "FJ NC PG SB VU",
    "057": "FM GU KI MH MP NR PW UM",
    "061": "AS CK NU PF PN TK TO TV WF WS",
}
_NO_REGION = frozenset({"AQ"})

# Two-letter CLDR territory codes that are not ISO 3166-1 countries: exceptionally reserved
# codes (AC, CP, CQ, DG, EA, IC, TA), groupings (EU, EZ, UN, QO), pseudo-locales and unknown.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
)

# English names CLDR gives as -alt-short / -alt-variant forms (dropped by babel), and a few
# very common English forms that CLDR does not list. All are tagged with the language "en".
_EXTRA_EN_NAMES: dict[str, tuple[str, ...]] = {
    "BA": ("Bosnia",),
    "CD": ("Congo (DRC)",),
    "CG": ("Congo (Republic)",),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "FK": ("Falkland Islands (Islas Malvinas)",),
    "GB": ("UK", "Britain", "Great Britain"),
    "HK": ("Hong Kong",),
    "MM": ("Myanmar", "Burma"),
    "MO": ("Macao", "Macau"),
    "NZ": ("Aotearoa New Zealand",),
    "PS": ("Palestine",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "US": ("US", "USA", "United States of America"),
    "VA": ("Vatican",),
}


def _m49() -> dict[str, tuple[str, str]]:
    """Country code -> (region name, sub-region name)."""
    table: dict[str, tuple[str, str]] = {}
    for sub_code, members in _M49_MEMBERS.items():
        region_code, sub_name = _SUBREGIONS[sub_code]
        for code in members.split():
            if code in table:
                raise ValueError(f"{code} listed twice in the M.49 table")
            table[code] = (_REGIONS[region_code], sub_name)
    for code in _NO_REGION:
        table[code] = ("", "")
    return table


def country_codes() -> list[str]:
    """The ISO 3166-1 alpha-2 codes CLDR names (plus XK), sorted."""
    english = load("en")["territories"]
    codes = sorted(
        code
        for code in english
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )
    if "XK" not in codes:  # pragma: no cover - CLDR has named Kosovo for years
        codes.append("XK")
        codes.sort()
    return codes


def build_data() -> dict[str, object]:
    """Collect the country table from babel's CLDR data."""
    codes = country_codes()
    regions = _m49()
    if set(codes) != set(regions):
        missing = sorted(set(codes) - set(regions))
        extra = sorted(set(regions) - set(codes))
        raise ValueError(f"M.49 table out of step with CLDR: missing {missing}, unknown {extra}")

    names: dict[str, dict[str, set[str]]] = {code: {} for code in codes}
    for locale_id in sorted(locale_identifiers()):
        language = locale_id.split("_", 1)[0]
        territories = load(locale_id)["territories"]
        for code in codes:
            name = territories.get(code)
            if not name or name == code:
                continue
            name = " ".join(name.split())
            names[code].setdefault(name, set()).add(language)
    for code, extras in _EXTRA_EN_NAMES.items():
        for name in extras:
            names[code].setdefault(name, set()).add("en")

    english = load("en")["territories"]
    countries: dict[str, object] = {}
    for code in codes:
        region, subregion = regions[code]
        countries[code] = {
            "languages": sorted(get_official_languages(code, de_facto=True)),
            "name_en": english[code],
            "region": region,
            "subregion": subregion,
            "names": {name: sorted(langs) for name, langs in sorted(names[code].items())},
        }
    return {"cldr_version": str(get_global("cldr")["version"]), "countries": countries}


def render(data: dict[str, object]) -> str:
    """Serialise deterministically: sorted keys, one country per line."""
    countries = data["countries"]
    assert isinstance(countries, dict)
    lines = ["{"]
    for key in sorted(data):
        if key != "countries":
            lines.append(f"{json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)},")
    lines.append('"countries": {')
    items = sorted(countries.items())
    for index, (code, entry) in enumerate(items):
        body = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"{json.dumps(code)}:{body}{comma}")
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate() -> str:
    """The full content of ``countries.json``."""
    return render(build_data())


def main() -> int:
    text = generate()
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    data = json.loads(text)
    countries = data["countries"]
    name_count = sum(len(entry["names"]) for entry in countries.values())
    print(
        f"wrote {OUTPUT} ({len(text.encode('utf-8'))} bytes, "
        f"{len(countries)} countries, {name_count} names)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
