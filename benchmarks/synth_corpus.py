"""Seeded synthetic corpora in the style of regional digital-development reports.

Sentences are recombined from templates with varied figures (percentages, money in
several currencies, ranks, counts, numbers in words), countries and years; documents
have headings, bullet lists and paragraphs without figures. Document i of a corpus
depends only on (seed, i), so corpora of different sizes share their first documents.

`python -m benchmarks.synth_corpus --size 10` writes benchmarks/out/corpus-10mb/ (reused
when it exists with the same seed and size).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from pathlib import Path

from benchmarks import out_dir, publish

SEED = 20240601
DOC_BYTES = 20_000
STAMP = ".corpus.json"  # hidden: the ETL skips dot-files
VERSION = 3

COUNTRIES = (
    "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "the Kyrgyz Republic", "Tajikistan", "Turkmenistan",
    "Afghanistan", "Azerbaijan", "Georgia", "Mongolia", "Pakistan", "China", "the PRC", "Kazakhstan",
    "Uzbekistan", "Kyrgyzstan", "Tajikistan",
)
REGIONS = ("Central Asia", "the CAREC region", "SCO member states", "the region", "Central and South Asia")
CURRENCY_WORDS = {  # country -> (prefix codes/symbols, suffix words)
    "Kazakhstan": (("KZT ", "₸"), ("tenge", "KZT")),
    "Uzbekistan": (("UZS ",), ("soums", "sum", "UZS")),
    "Kyrgyzstan": (("KGS ",), ("som", "KGS")),
    "the Kyrgyz Republic": (("KGS ",), ("soms",)),
    "Tajikistan": (("TJS ",), ("somoni",)),
    "Turkmenistan": (("TMT ",), ("manat",)),
    "Azerbaijan": (("AZN ", "₼"), ("manat",)),
    "Georgia": (("GEL ", "₾"), ("lari",)),
    "Mongolia": (("MNT ", "₮"), ("tugriks",)),
    "Pakistan": (("PKR ", "Rs. "), ("rupees",)),
    "China": (("CNY ", "RMB ", "¥"), ("yuan",)),
    "the PRC": (("CNY ",), ("renminbi",)),
}
INTL_MONEY = (("USD ", "US$", "$", "€", "EUR "), ("US dollars", "USD", "euros", "dollars"))
SCALE_WORDS = ("million", "billion", "mln", "bn", "thousand", "M", "B")
PCT_FORMS = ("{v}%", "{v}%", "{v} percent", "{v} per cent", "{v}%")
COMPARATOR_WORDS = ("", "", "", "", "more than ", "about ", "nearly ", "over ", "almost ", "under ",
                    "approximately ", "roughly ", "at least ")
WORD_SHARES = ("more than half", "two thirds", "a third", "nearly a quarter", "one in five", "three quarters",
               "almost half", "one in three")
ORDINALS = {1: "st", 2: "nd", 3: "rd"}
INDEXES = (
    ("ICT Development Index", 193), ("UN E-Government Development Index", 193),
    ("Global Innovation Index", 132), ("Network Readiness Index", 131), ("Global Cybersecurity Index", 194),
    ("E-Participation Index", 193), ("Inclusive Internet Index", 100), ("Digital Quality of Life Index", 121),
    ("Mobile Connectivity Index", 170), ("Government AI Readiness Index", 193),
)
PCT_SUBJECTS = (
    "internet penetration", "the share of households with internet access", "mobile broadband coverage",
    "4G population coverage", "the share of individuals using the internet", "fixed broadband penetration",
    "digital payment adoption", "the share of schools connected to broadband", "smartphone ownership",
    "e-commerce's share of retail", "the share of adults with a mobile money account", "5G coverage",
    "rural internet access", "the share of public services available online", "ICT's share of GDP",
    "the share of women using the internet", "cashless payments' share of transactions",
)
PCT_VERBS = ("reached", "rose to", "stood at", "grew to", "increased to", "climbed to", "was", "fell to",
             "hit", "amounted to", "was estimated at")
COUNT_NOUNS = (
    "mobile subscribers", "internet users", "fixed broadband subscriptions", "km of fibre-optic lines",
    "base stations", "public services online", "IT specialists trained", "start-ups registered",
    "data centres", "schools connected", "villages connected", "e-government users", "digital signatures issued",
    "kilometres of backbone network", "IT Park residents", "registered e-commerce companies",
)
MONEY_SUBJECTS = (
    "investment in digital infrastructure", "the Digital Kazakhstan programme", "the broadband project",
    "ICT exports", "the national e-government budget", "venture capital raised by start-ups",
    "the fibre-optic backbone project", "e-commerce turnover", "the Digital CASA project",
    "spending on cybersecurity", "the Digital Uzbekistan 2030 strategy", "the CAREC digital corridor",
    "the IT Park's exports", "the data centre construction", "the rural connectivity fund",
)
MONEY_VERBS = ("was allocated to", "went to", "was invested in", "was spent on", "was committed to",
               "was earmarked for", "was budgeted for")
NOISE = (
    "The forum brought together representatives of government, business, civil society and academia.",
    "Participants stressed the importance of multistakeholder dialogue on internet governance.",
    "Digital transformation requires coordinated action across ministries and agencies.",
    "The session discussed data protection, cybersecurity and the rights of users online.",
    "Speakers noted that the digital divide between urban and rural areas remains significant.",
    "Recommendations were adopted on the development of digital skills and inclusion.",
    "The report draws on interviews with officials, operators and independent experts.",
    "Further work is needed to harmonise regulation across the region.",
    "Open data portals have been launched, although their use remains limited.",
    "The moderator closed the session by thanking the participants and the organisers.",
    "Stakeholders called for transparent procurement and independent oversight.",
    "Capacity building for regulators was identified as a priority for the coming years.",
)
HEADINGS = (
    "Background", "Key findings", "Connectivity", "Digital government", "Investment and financing",
    "Rankings and indices", "Digital skills", "Recommendations", "Infrastructure", "E-commerce",
    "Cybersecurity", "Financial inclusion", "Regional cooperation", "Outlook", "Methodology",
)
HEADING_FORMS = ("## {n}. {h}", "{H}", "# {h} in {c}", "{n}. {h}", "### {h}", "{h}: {c}")
BULLETS = ("- ", "• ", "* ", "– ")
PLACES = ("Almaty", "Astana", "Tashkent", "Bishkek", "Dushanbe", "Ashgabat", "Manila", "Baku", "Tbilisi")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


# ---- figures ------------------------------------------------------------------------------------


def _num(rng: random.Random, lo: float, hi: float, decimals: int) -> str:
    value = rng.uniform(lo, hi)
    return f"{value:.{decimals}f}" if decimals else f"{round(value):,}"


def pct(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(WORD_SHARES)
    value = _num(rng, 1, 99, rng.choice((0, 1, 1, 2)))
    return rng.choice(COMPARATOR_WORDS) + rng.choice(PCT_FORMS).format(v=value)


def money(rng: random.Random, country: str) -> str:
    prefixes, suffixes = CURRENCY_WORDS.get(country, INTL_MONEY) if rng.random() < 0.5 else INTL_MONEY
    amount = _num(rng, 1, 950, rng.choice((0, 1, 2)))
    scale = rng.choice(SCALE_WORDS)
    glue = "" if len(scale) <= 2 else " "
    if rng.random() < 0.55:
        figure = f"{rng.choice(prefixes)}{amount}{glue}{scale}"
    else:
        figure = f"{amount} {scale} {rng.choice(suffixes)}"
    return rng.choice(COMPARATOR_WORDS) + figure


def count(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return f"{_num(rng, 1, 40, 1)} million {rng.choice(COUNT_NOUNS)}"
    return f"{rng.choice(COMPARATOR_WORDS)}{_num(rng, 12, 98_000, 0)} {rng.choice(COUNT_NOUNS)}"


def rank(rng: random.Random) -> tuple[str, str]:
    index, out_of = rng.choice(INDEXES)
    n = rng.randint(1, out_of)
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINALS.get(n % 10, "th")
    return f"{n}{suffix}", f"{index}" + (f" (out of {out_of})" if rng.random() < 0.3 else "")


# ---- sentences ----------------------------------------------------------------------------------


def _cap(name: str) -> str:
    name = name.removeprefix("the ")
    return name[0].upper() + name[1:]


def _sentence(rng: random.Random, country: str, year: int) -> str:
    """One sentence with one to three figures."""
    text = _raw_sentence(rng, country, year)
    return text[0].upper() + text[1:]


def _raw_sentence(rng: random.Random, country: str, year: int) -> str:
    y0 = year - rng.randint(1, 5)
    form = rng.randrange(16)
    subj = rng.choice(PCT_SUBJECTS)
    if form == 0:
        return f"In {year}, {subj} in {country} {rng.choice(PCT_VERBS)} {pct(rng)}."
    if form == 1:
        return (f"{subj[0].upper()}{subj[1:]} in {country} {rng.choice(PCT_VERBS)} {pct(rng)} in {year}, "
                f"up from {pct(rng)} in {y0}.")
    if form == 2:
        return f"According to the regulator, {country} had {count(rng)} at the end of {year}."
    if form == 3:
        return f"{money(rng, country)} {rng.choice(MONEY_VERBS)} {rng.choice(MONEY_SUBJECTS)} in {country} in {year}."
    if form == 4:
        ordinal, index = rank(rng)
        return f"{country} ranked {ordinal} in the {index} {year}."
    if form == 5:
        ordinal, index = rank(rng)
        return (f"In the {year} edition of the {index}, {country} placed {ordinal}, "
                f"compared with {rank(rng)[0]} in {y0}.")
    if form == 6:
        return (f"The government plans to raise {subj} to {pct(rng)} by {year + rng.randint(2, 8)}, "
                f"from {pct(rng)} today.")
    if form == 7:
        return f"{_cap(country)}'s {subj} ({year}) was {pct(rng)}, against {pct(rng)} in {rng.choice(REGIONS)}."
    if form == 8:
        return (f"Between {y0} and {year}, the number of {rng.choice(COUNT_NOUNS)} in {country} grew from "
                f"{_num(rng, 1, 900, 0)} to {_num(rng, 900, 9000, 0)}.")
    if form == 9:
        return (f"The planned budget for {rng.choice(MONEY_SUBJECTS)} was {money(rng, country)}, "
                f"while actual spending was {money(rng, country)} ({year}).")
    if form == 10:
        return f"{rng.choice(WORD_SHARES).capitalize()} of households in {country} had broadband access in {year}."
    if form == 11:
        return f"Across {rng.choice(REGIONS)}, {subj} averaged {pct(rng)} in {year}."
    if form == 12:
        return (f"The {rng.choice(MONEY_SUBJECTS).removeprefix('the ')} in {country}, worth {money(rng, country)}, "
                f"is expected to connect {count(rng)} by {year + 2}.")
    if form == 13:
        return f"Mobile data prices in {country} fell by {pct(rng)} between {y0} and {year}."
    if form == 14:
        return f"As of {rng.choice(MONTHS)} {year}, {country} reported {count(rng)} and {count(rng)}."
    return f"{_cap(country)} attracted {money(rng, country)} in foreign direct investment in ICT in {year}."


def _paragraph(rng: random.Random, country: str, year: int) -> str:
    if rng.random() < 0.15:
        return " ".join(rng.sample(NOISE, rng.randint(2, 4)))
    sentences = []
    for _ in range(rng.randint(2, 6)):
        if rng.random() < 0.25:
            sentences.append(rng.choice(NOISE))
        else:
            sentences.append(_sentence(rng, country if rng.random() < 0.7 else rng.choice(COUNTRIES), year))
    return " ".join(sentences)


def _bullets(rng: random.Random, country: str, year: int) -> str:
    mark = rng.choice(BULLETS)
    return "\n".join(mark + _sentence(rng, country, year) for _ in range(rng.randint(3, 7)))


def _heading(rng: random.Random, n: int, country: str) -> str:
    h = rng.choice(HEADINGS)
    return rng.choice(HEADING_FORMS).format(n=n, h=h, H=h.upper(), c=country.removeprefix("the "))


def document(seed: int, index: int, size: int = DOC_BYTES) -> str:
    """Document `index` of the corpus with `seed`: a title, a date line and sections, about `size` bytes."""
    rng = random.Random(seed * 1_000_003 + index)
    country = rng.choice(COUNTRIES)
    year = rng.randint(2012, 2024)
    parts = [
        f"{rng.choice(('Digital Development Review', 'Connectivity Report', 'Digital Economy Outlook'))}: "
        f"{country.removeprefix('the ')} {year}",
        f"{rng.choice(PLACES)}, {rng.randint(1, 28)} {rng.choice(MONTHS)} {year + 1}",
    ]
    length, section = sum(map(len, parts)), 0
    while length < size:
        section += 1
        block = [_heading(rng, section, country)]
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            block.append(_bullets(rng, country, year) if roll < 0.2 else _paragraph(rng, country, year))
        text = "\n\n".join(block)
        parts.append(text)
        length += len(text.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


def sentence_pool(seed: int, n: int) -> list[str]:
    """`n` distinct-ish report sentences (for synthetic quotes)."""
    rng = random.Random(seed)
    return [_sentence(rng, rng.choice(COUNTRIES), rng.randint(2000, 2024)) for _ in range(n)]


# ---- corpora on disk ----------------------------------------------------------------------------


def corpus_dir(size_mb: float) -> Path:
    label = f"{size_mb:g}".replace(".", "p")
    return out_dir() / f"corpus-{label}mb"


def ensure_corpus(size_mb: float, seed: int = SEED, doc_bytes: int = DOC_BYTES) -> Path:
    """The corpus of about `size_mb` MB in benchmarks/out/, generated once and reused for the same seed."""
    target = corpus_dir(size_mb)
    n_docs = max(1, round(size_mb * 1_000_000 / doc_bytes))
    stamp = {"seed": seed, "size_mb": size_mb, "n_docs": n_docs, "doc_bytes": doc_bytes, "version": VERSION}
    if _complete(target, stamp):
        return target
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")  # per process: concurrent builds don't clash
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    for i in range(n_docs):
        (temp / f"doc_{i:06d}.txt").write_text(document(seed, i, doc_bytes), encoding="utf-8")
    (temp / STAMP).write_text(json.dumps(stamp))
    return publish(temp, target, _complete(target, stamp))


def _complete(target: Path, stamp: dict) -> bool:
    try:
        same = json.loads((target / STAMP).read_text()) == stamp
    except (OSError, ValueError):
        return False
    return same and len(list(target.glob("*.txt"))) == stamp["n_docs"]


def corpus_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.glob("*.txt"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a seeded synthetic corpus to benchmarks/out/")
    parser.add_argument("--size", type=float, default=1.0, help="MB of text (default 1)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    path = ensure_corpus(args.size, args.seed)
    print(f"{path}: {len(list(path.glob('*.txt')))} documents, {corpus_bytes(path) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
