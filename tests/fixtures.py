"""A small but realistic processed store, in the exact data contract, built in code.

`write_fixture_store(dir)` writes claims/indicators/sources Parquet to `dir`;
`write_fixture_docs(raw_dir)` writes the documents the claims quote, so the
offsets point at the real figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from etl.paths import CLAIMS_FILE, INDICATORS_FILE, SOURCES_FILE
from etl.schema import REGIONS, to_table

COUNTRY_NAMES = {
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "GEO": "Georgia",
    "CHN": "China",
    "PAK": "Pakistan",
    "AZE": "Azerbaijan",
    **REGIONS,
}

SCRIPT_QUOTE = "The forum page embedded <script>alert(1)</script> and counted 300 registrations from Kyrgyzstan."
FORMULA_QUOTE = '=HYPERLINK("http://evil.example","click") 45% of schools in Kyrgyzstan were connected in 2022.'

# doc -> (title, publisher, published, place, sentences)
DOCS = {
    "000_caigf.txt": (
        "Central Asia Internet Governance Forum 2022: report",
        "PF Civil Initiative on Internet Policy",
        dt.date(2022, 12, 15),
        "Astana, Kazakhstan",
        [
            "Internet penetration in Kazakhstan reached 90.9% in 2021, according to national statistics.",
            "Uzbekistan reported 76.6% of its people online in 2021.",
            "In Kyrgyzstan 78% of the population used the internet in 2022.",
            "In Tajikistan under 22% of people used the internet in 2022.",
            "The Taza Koom programme in Kyrgyzstan received more than $50 million by 2019.",
            SCRIPT_QUOTE,
        ],
    ),
    "001_qazigf.txt": (
        "Overview and Recommendations: Qazaqstan IGF 2023",
        "Qazaqstan IGF Organizing Committee",
        dt.date(2023, 10, 18),
        "Almaty, Kazakhstan",
        [
            "In 2023 about 92.3% of Kazakhstan's population used the internet.",
            "The Digital Kazakhstan programme attracted $1.2 billion of investment by 2022.",
            "Kazakhstan allocated KZT 90 billion to digital infrastructure in 2023.",
            "Kazakhstan ranked 29th out of 193 in the UN E-Government Development Index in 2020.",
            "In 2022 Kazakhstan was 28th of 193 countries in the UN EGDI.",
            "Kazakhstan was 81st of 132 economies in the Global Innovation Index 2023.",
            "The forum gathered more than 1,200 participants in 2023.",
        ],
    ),
    "002_carec_mtr.txt": (
        "CAREC Digital Strategy 2030: Mid-Term Review, Preliminary Findings",
        "CAREC Secretariat",
        dt.date(2025, 6, 26),
        "Manila, Philippines",
        [
            "**Internet Penetration:** Increased from <50% (2019) to 70% (2025).",
            "National platforms in Georgia (500,000 students) and Uzbekistan (1 million students).",
            "Pakistan produces 50,000+ annual ICT graduates.",
            "Mobile broadband reached 51% of Pakistan's population in 2022.",
            "The Digital CASA programme for Central Asia mobilised about $360 million in 2021.",
            "The Trans-Caspian Fiber Optic cable via Azerbaijan is estimated at about $40 million in 2024.",
            FORMULA_QUOTE,
        ],
    ),
    "003_sco_forum.txt": (
        "Digital Forum of the Shanghai Cooperation Organization Takes Place in Kazakhstan",
        "news release",
        dt.date(2024, 2, 1),
        "Almaty, Kazakhstan",
        [
            "China's internet penetration stood at 77.5% in 2023.",
            "Investment in the Digital Silk Road is put at about $17 billion in 2023.",
            "Uzbekistan rose from 79th in 2022 to 48th in 2023 in the Government AI Readiness Index.",
            "Kyrgyzstan was 81st of 193 in the UN EGDI in 2022.",
            "Tajikistan was 133rd of 193 in the UN EGDI in 2022.",
        ],
    ),
    "004_gnv.txt": (
        "Digital Transformation Advances in Central Asia",
        "Global News View (GNV)",
        dt.date(2024, 3, 14),
        None,
        [
            "In Uzbekistan more than 83% of the population was online by 2023.",
            "Georgia's internet penetration was 79% in 2023.",
            "Azerbaijan has internet penetration of 88%.",
            "Worldwide, 67% of people used the internet in 2023.",
            "Georgia was 65th of 132 in the Global Innovation Index in 2023.",
            "The Digital Uzbekistan 2030 strategy envisages investment of $2.5 billion.",
            "Digital Pakistan spent PKR 26 billion in 2023.",
            "Tajikistan's Digital Economy Concept plans $15 million.",
        ],
    ),
    "005_budget.txt": (
        "Central Asian IGF 2023: financial report",
        None,
        None,
        None,
        [
            "Interpretation: planned $12,000; actual $14,500; variance $2,500.",
            "Venue: planned $30,000; actual $27,000.",
            "Travel support: planned $20,000.",
        ],
    ),
}

# (doc, sentence index, figure as written, country, indicator, category, value, unit,
#  year, comparator, rank_of, subject)
CLAIM_ROWS = [
    (
        "000_caigf.txt",
        0,
        "90.9%",
        "KAZ",
        "internet_users_pct",
        "penetration",
        90.9,
        "percent",
        2021,
        "=",
        None,
        None,
    ),
    (
        "000_caigf.txt",
        1,
        "76.6%",
        "UZB",
        "internet_users_pct",
        "penetration",
        76.6,
        "percent",
        2021,
        "=",
        None,
        None,
    ),
    (
        "000_caigf.txt",
        2,
        "78%",
        "KGZ",
        "internet_users_pct",
        "penetration",
        78,
        "percent",
        2022,
        "=",
        None,
        None,
    ),
    (
        "000_caigf.txt",
        3,
        "under 22%",
        "TJK",
        "internet_users_pct",
        "penetration",
        22,
        "percent",
        2022,
        "<",
        None,
        None,
    ),
    (
        "000_caigf.txt",
        4,
        "more than $50 million",
        "KGZ",
        "investment_usd",
        "investment",
        50e6,
        "USD",
        2019,
        ">",
        None,
        "Taza Koom",
    ),
    ("000_caigf.txt", 5, "300", "KGZ", "event_registrations", "other", 300, "count", None, "=", None, None),
    (
        "001_qazigf.txt",
        0,
        "about 92.3%",
        "KAZ",
        "internet_users_pct",
        "penetration",
        92.3,
        "percent",
        2023,
        "~",
        None,
        None,
    ),
    (
        "001_qazigf.txt",
        1,
        "$1.2 billion",
        "KAZ",
        "investment_usd",
        "investment",
        1.2e9,
        "USD",
        2022,
        "=",
        None,
        "Digital Kazakhstan 2025",
    ),
    (
        "001_qazigf.txt",
        2,
        "KZT 90 billion",
        "KAZ",
        "investment_usd",
        "investment",
        90e9,
        "KZT",
        2023,
        "=",
        None,
        "digital infrastructure",
    ),
    ("001_qazigf.txt", 3, "29th", "KAZ", "egdi_rank", "ranking", 29, "rank", 2020, "=", 193, None),
    ("001_qazigf.txt", 4, "28th", "KAZ", "egdi_rank", "ranking", 28, "rank", 2022, "=", 193, None),
    ("001_qazigf.txt", 5, "81st", "KAZ", "gii_rank", "ranking", 81, "rank", 2023, "=", 132, None),
    (
        "001_qazigf.txt",
        6,
        "more than 1,200",
        "KAZ",
        "event_participants",
        "other",
        1200,
        "count",
        2023,
        ">",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        0,
        "<50%",
        "XCR",
        "internet_users_pct",
        "penetration",
        50,
        "percent",
        2019,
        "<",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        0,
        "70%",
        "XCR",
        "internet_users_pct",
        "penetration",
        70,
        "percent",
        2025,
        "=",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        1,
        "500,000",
        "GEO",
        "elearning_students",
        "other",
        500_000,
        "count",
        None,
        "=",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        1,
        "1 million",
        "UZB",
        "elearning_students",
        "other",
        1e6,
        "count",
        None,
        "=",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        2,
        "50,000+",
        "PAK",
        "ict_graduates",
        "other",
        50_000,
        "count",
        None,
        ">",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        3,
        "51%",
        "PAK",
        "mobile_broadband_pct",
        "penetration",
        51,
        "percent",
        2022,
        "=",
        None,
        None,
    ),
    (
        "002_carec_mtr.txt",
        4,
        "about $360 million",
        "XCA",
        "investment_usd",
        "investment",
        360e6,
        "USD",
        2021,
        "~",
        None,
        "Digital CASA",
    ),
    (
        "002_carec_mtr.txt",
        5,
        "about $40 million",
        "AZE",
        "investment_usd",
        "investment",
        40e6,
        "USD",
        2024,
        "~",
        None,
        "Trans-Caspian Fiber Optic cable",
    ),
    (
        "002_carec_mtr.txt",
        6,
        "45%",
        "KGZ",
        "school_connectivity_pct",
        "penetration",
        45,
        "percent",
        2022,
        "=",
        None,
        None,
    ),
    (
        "003_sco_forum.txt",
        0,
        "77.5%",
        "CHN",
        "internet_users_pct",
        "penetration",
        77.5,
        "percent",
        2023,
        "=",
        None,
        None,
    ),
    (
        "003_sco_forum.txt",
        1,
        "about $17 billion",
        "CHN",
        "investment_usd",
        "investment",
        17e9,
        "USD",
        2023,
        "~",
        None,
        "Digital Silk Road",
    ),
    (
        "003_sco_forum.txt",
        2,
        "79th",
        "UZB",
        "ai_readiness_rank",
        "ranking",
        79,
        "rank",
        2022,
        "=",
        None,
        None,
    ),
    (
        "003_sco_forum.txt",
        2,
        "48th",
        "UZB",
        "ai_readiness_rank",
        "ranking",
        48,
        "rank",
        2023,
        "=",
        None,
        None,
    ),
    ("003_sco_forum.txt", 3, "81st", "KGZ", "egdi_rank", "ranking", 81, "rank", 2022, "=", 193, None),
    ("003_sco_forum.txt", 4, "133rd", "TJK", "egdi_rank", "ranking", 133, "rank", 2022, "=", 193, None),
    (
        "004_gnv.txt",
        0,
        "more than 83%",
        "UZB",
        "internet_users_pct",
        "penetration",
        83,
        "percent",
        2023,
        ">",
        None,
        None,
    ),
    (
        "004_gnv.txt",
        1,
        "79%",
        "GEO",
        "internet_users_pct",
        "penetration",
        79,
        "percent",
        2023,
        "=",
        None,
        None,
    ),
    (
        "004_gnv.txt",
        2,
        "88%",
        "AZE",
        "internet_users_pct",
        "penetration",
        88,
        "percent",
        None,
        "=",
        None,
        None,
    ),
    (
        "004_gnv.txt",
        3,
        "67%",
        "WLD",
        "internet_users_pct",
        "penetration",
        67,
        "percent",
        2023,
        "=",
        None,
        None,
    ),
    ("004_gnv.txt", 4, "65th", "GEO", "gii_rank", "ranking", 65, "rank", 2023, "=", 132, None),
    (
        "004_gnv.txt",
        5,
        "$2.5 billion",
        "UZB",
        "investment_usd",
        "investment",
        2.5e9,
        "USD",
        None,
        "=",
        None,
        "Digital Uzbekistan 2030",
    ),
    (
        "004_gnv.txt",
        6,
        "PKR 26 billion",
        "PAK",
        "investment_usd",
        "investment",
        26e9,
        "PKR",
        2023,
        "=",
        None,
        "Digital Pakistan",
    ),
    (
        "004_gnv.txt",
        7,
        "$15 million",
        "TJK",
        "investment_usd",
        "investment",
        15e6,
        "USD",
        None,
        "=",
        None,
        "Digital Economy Concept",
    ),
    (
        "005_budget.txt",
        0,
        "$12,000",
        "XCA",
        "event_budget_planned",
        "budget",
        12_000,
        "USD",
        2023,
        "=",
        None,
        "Interpretation",
    ),
    (
        "005_budget.txt",
        0,
        "$14,500",
        "XCA",
        "event_budget_actual",
        "budget",
        14_500,
        "USD",
        2023,
        "=",
        None,
        "Interpretation",
    ),
    (
        "005_budget.txt",
        0,
        "$2,500",
        "XCA",
        "event_budget_variance",
        "budget",
        2_500,
        "USD",
        2023,
        "=",
        None,
        "Interpretation",
    ),
    (
        "005_budget.txt",
        1,
        "$30,000",
        "XCA",
        "event_budget_planned",
        "budget",
        30_000,
        "USD",
        2023,
        "=",
        None,
        "Venue",
    ),
    (
        "005_budget.txt",
        1,
        "$27,000",
        "XCA",
        "event_budget_actual",
        "budget",
        27_000,
        "USD",
        2023,
        "=",
        None,
        "Venue",
    ),
    (
        "005_budget.txt",
        2,
        "$20,000",
        "XCA",
        "event_budget_planned",
        "budget",
        20_000,
        "USD",
        2023,
        "=",
        None,
        "Travel support",
    ),
]

INDICATORS = [
    (
        "internet_users_pct",
        "Internet users",
        "penetration",
        "percent",
        "Share of the population using the internet.",
    ),
    (
        "mobile_broadband_pct",
        "Mobile broadband",
        "penetration",
        "percent",
        "Share covered by mobile broadband.",
    ),
    ("school_connectivity_pct", "Schools connected", "penetration", "percent", "Share of schools online."),
    ("investment_usd", "Investment", "investment", "USD", "Money invested in or planned for a programme."),
    ("egdi_rank", "UN E-Government Development Index rank", "ranking", "rank", "Position in the UN EGDI."),
    ("gii_rank", "Global Innovation Index rank", "ranking", "rank", "Position in WIPO's GII."),
    (
        "ai_readiness_rank",
        "Government AI Readiness rank",
        "ranking",
        "rank",
        "Position in Oxford Insights' index.",
    ),
    ("event_budget_planned", "Event budget, planned", "budget", "USD", "Planned amount of a budget line."),
    ("event_budget_actual", "Event budget, actual", "budget", "USD", "Spent amount of a budget line."),
    ("event_budget_variance", "Event budget, variance", "budget", "USD", "Actual minus planned."),
    ("event_participants", "Event participants", "other", "count", "People who took part in an event."),
    ("event_registrations", "Event registrations", "other", "count", "Registrations for an event."),
    (
        "elearning_students",
        "E-learning students",
        "other",
        "count",
        "Students on national e-learning platforms.",
    ),
    ("ict_graduates", "ICT graduates", "other", "count", "ICT graduates a year."),
]


def doc_text(doc: str) -> str:
    """The full text of a fixture document: its title line, then one paragraph per sentence."""
    title, *_, sentences = DOCS[doc]
    return "\n\n".join([f"# {title}", *sentences]) + "\n"


def sentence_start(doc: str, index: int) -> int:
    title, *_, sentences = DOCS[doc]
    return len(f"# {title}\n\n") + sum(len(s) + 2 for s in sentences[:index])


def claims_frame() -> pd.DataFrame:
    """The fixture claims as a frame in the contract's columns."""
    rows = []
    for (
        doc,
        index,
        written,
        country,
        indicator,
        category,
        value,
        unit,
        year,
        comp,
        rank_of,
        subject,
    ) in CLAIM_ROWS:
        sentence = DOCS[doc][4][index]
        quote_start = sentence_start(doc, index)
        char_start = quote_start + sentence.index(written)
        char_end = char_start + len(written)
        assert doc_text(doc)[char_start:char_end] == written
        claim_id = hashlib.sha1(f"{doc}:{char_start}:{char_end}:{indicator}".encode()).hexdigest()[:16]
        rows.append(
            {
                "claim_id": claim_id,
                "doc": doc,
                "country": country,
                "country_name": COUNTRY_NAMES[country],
                "indicator": indicator,
                "category": category,
                "value": float(value),
                "as_written": written,
                "unit": unit,
                "year": year,
                "year_basis": "stated" if year is not None else None,
                "comparator": comp,
                "rank_of": rank_of,
                "subject": subject,
                "quote": sentence,
                "quote_start": quote_start,
                "char_start": char_start,
                "char_end": char_end,
                "origin": "extracted",
                "claim_type": "actual",
                "counterpart": None,
            }
        )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int32")
    frame["rank_of"] = frame["rank_of"].astype("Int32")
    return frame


def indicators_frame() -> pd.DataFrame:
    return pd.DataFrame(INDICATORS, columns=["id", "label", "category", "unit", "definition"])


def sources_frame(claims: pd.DataFrame) -> pd.DataFrame:
    counts = claims["doc"].value_counts()
    rows = [
        {
            "doc": doc,
            "title": title,
            "publisher": publisher,
            "published": published,
            "published_basis": "manifest" if published else None,
            "place": place,
            "url": None,
            "n_claims": int(counts.get(doc, 0)),
        }
        for doc, (title, publisher, published, place, _) in DOCS.items()
    ]
    return pd.DataFrame(rows)


def write_fixture_store(dir: Path | str) -> None:  # noqa: A002 - the name the brief gives
    """Write claims, indicators and sources Parquet files in the data contract to `dir`."""
    out = Path(dir)
    out.mkdir(parents=True, exist_ok=True)
    claims = claims_frame()
    pq.write_table(to_table(claims, "claims"), out / CLAIMS_FILE)
    pq.write_table(to_table(indicators_frame(), "indicators"), out / INDICATORS_FILE)
    pq.write_table(to_table(sources_frame(claims), "sources"), out / SOURCES_FILE)


def write_fixture_docs(raw_dir: Path | str) -> None:
    """Write the documents the fixture claims quote, as the ETL's raw directory holds them."""
    out = Path(raw_dir)
    out.mkdir(parents=True, exist_ok=True)
    for doc in DOCS:
        (out / doc).write_text(doc_text(doc), encoding="utf-8")


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cadi_fixture")
    write_fixture_store(target / "data" / "processed")
    write_fixture_docs(target / "data" / "raw")
    print(f"fixture store in {target}/data/processed, documents in {target}/data/raw")
