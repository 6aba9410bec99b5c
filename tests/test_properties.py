"""Property-based tests: the recognizers and the whole run on arbitrary, hostile text.

Whatever the text (huge numbers, digit and punctuation runs, mixed scripts, control
characters, very long lines), nothing raises, every offset points at what it claims
to point at, every value is finite, and the run's output passes the data contract.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from etl import paths, schema, store
from etl.countries import find_mentions
from etl.extract import extract_claims
from etl.figures import find_figures
from etl.run import main
from etl.segment import layout
from etl.years import find_years

# Recognizer examples per test and pipeline examples; kept small so the file runs in well under a minute.
RECOGNIZER_EXAMPLES = 150
PIPELINE_EXAMPLES = 40
HANG_LIMIT_SECONDS = 30  # a hang guard, not a benchmark
BIG_LINE_CHARS = 1_000_000

HUGE = ["9" * 400, "1e308", "1E+308", "$99999999999999999999 trillion", "$" + "9" * 30 + " billion",
        "9" * 25 + "%", "0." + "0" * 300 + "1%", "1" + ",000" * 120, "10^308", "inf%", "NaN%", "-0%"]
WORDS = [
    "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Central Asia", "CAREC", "KAZ", "the world",
    "Қазақстан", "Қазақстанда әғқңөұүһі", "Казахстан", "Узбекистан", "Oʻzbekiston", "gʻalaba", "shahar",
    "choyxona", "Ўзбекистон", "中国", "العربية", "🇰🇿", "internet", "penetration", "invested", "budget",
    "ranked", "out of", "per 100 people", "million", "billion", "trillion", "bn", "more than", "about",
    "under", "half", "three", "planned", "actual", "Digital Kazakhstan 2025", "Article 33", "+7 727 000 0000",
    "14 March 2024", "http://x.example/98%", "Windows 11", "5G",
    # Russian: names in their cases, adjectives, codes, regions, cue words, near misses
    "Казахстане", "Кыргызстана", "казахстанский", "Кыргызской Республики", "РК", "КР", "ЕАЭС", "СНГ",
    "Центральной Азии", "в мире", "пользователей интернета", "абонентов", "инвестиции", "бюджет", "рейтинге",
    "соответственно", "более", "свыше", "около", "почти", "не менее", "статья 33", "Цифровой Казахстан 2025",
    "1 февраля 2024 года", "шестой форум", "тел. +7 (727) 123-45-67", "«Цифровой Узбекистан - 2030»",
]
RUSSIAN_FIGURES = ["87,6%", "2 845 310", "1 234,5", "2\u202f845\u00a0310", "25,1 млрд сомов", "7,2 трлн сумов",
                   "2 млрд. 281 млн. 800 тыс. сомони", "12 тысяч 617", "801 тысячу 500 сомони", "$90 миллионов",
                   "72-е место", "на 113-м месте", "41 место из 193", "поднялся на 5 позиций", "в 10 раз", "вдвое",
                   "в два раза", "полтора триллиона тенге", "0,5 п.п.", "2,3 процентных пункта", "15 процентов",
                   "от 20 до 25%", "7–8%", "60.923", "2022-го", "в 2023 году", "2023 г.", "по итогам 2024 года",
                   "35,71 Мбит/с", "23,4 тысячи км", "одну позицию", "первое место", "14.9 %", "1 млрд 87,5 млн."]
FIGURES = ["96%", "$500M", "$1.2 billion", "KZT 90 billion", "3 600", "1,234.5", "48th", "28th out of 193",
           "50,000+", "12.5 per cent", "₸5 bn", "€3m", "€", "$", "%", "(2019)", "in 2022", "between 2019 and 2023",
           "2019-2023", "since 2019", "FY2024", "2100", "1899", "0", "00000", "-5%", "+3%", "1/2", "3:1"]
LAYOUT = ["\n", "\n\n", "\r\n", "\r", "# ", "## ", "- ", "* ", "1. ", "| ", " | ", "|---|", "**", ":", ". ",
          "; ", "…", "\t", "\f", "\v", "\u2028", "\u2029", "\x85", "\u00a0", "\u202f", "\u200b", "\ufeff"]
CONTROLS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)]
PUNCT_RUNS = [".,;:!?-%$" * 20, "9," * 50, "%" * 100, "$" * 100, "1." * 80, "(" * 60, "-" * 80, "|" * 60]

token = st.one_of(
    st.sampled_from(HUGE), st.sampled_from(WORDS), st.sampled_from(FIGURES), st.sampled_from(LAYOUT),
    st.sampled_from(RUSSIAN_FIGURES),
    st.sampled_from(CONTROLS), st.sampled_from(PUNCT_RUNS), st.sampled_from([" "] * 4),
    st.text(max_size=12),  # any code points, surrogates excluded by hypothesis for str
    st.from_regex(r"[0-9]{1,60}", fullmatch=True),
)
documents = st.lists(token, max_size=60).map("".join)
reference_years = st.one_of(st.none(), st.integers(1900, 2100))

RECOGNIZER_SETTINGS = settings(max_examples=RECOGNIZER_EXAMPLES, deadline=timedelta(seconds=10),
                               suppress_health_check=[HealthCheck.too_slow])


HOSTILE_TEXTS = (
    "", "9" * 400, "1e308", "$99999999999999999999 trillion in Kazakhstan in 2023.",
    "Kazakhstan " + "9" * 400 + "% in 2022", "Қазақстанда интернет 92% 2023 жылы.",
    "Oʻzbekistonda gʻalaba 83% (2023).", "Kazakhstan\x00\x01\x0b 45%\x1f in 2022\u2028$5 million",
    "x" * 50_000, "9," * 5_000, "| KAZ | 2019 | 2023 |\n|---|---|---|\n| Kazakhstan | 9" + "9" * 300 + " | 1e308 |",
)


def _document_examples(*extra):
    """Hand-picked worst cases every run tries besides the generated ones (`extra`: the other arguments)."""
    def decorate(test):
        for text in HOSTILE_TEXTS:
            test = example(text, *extra)(test)
        return test
    return decorate


@RECOGNIZER_SETTINGS
@given(documents)
@_document_examples()
def test_find_figures_offsets_and_values(text: str) -> None:
    for figure in find_figures(text, 0, len(text)):
        assert 0 <= figure.start < figure.end <= len(text), figure
        assert math.isfinite(figure.value), figure
        assert figure.comparator in schema.COMPARATORS


@RECOGNIZER_SETTINGS
@given(documents)
@_document_examples()
def test_find_figures_in_russian_offsets_and_values(text: str) -> None:
    for figure in find_figures(text, 0, len(text), lang="ru"):
        assert 0 <= figure.start < figure.end <= len(text), figure
        assert math.isfinite(figure.value), figure
        assert figure.comparator in schema.COMPARATORS


SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f"])


@RECOGNIZER_SETTINGS
@given(st.integers(1000, 10**12), st.integers(0, 99), SEPARATORS,
       st.sampled_from([("", 1), (" тыс.", 1e3), (" млн", 1e6), (" млрд", 1e9), (" миллиона", 1e6),
                        (" миллиардов", 1e9), (" трлн", 1e12)]),
       st.sampled_from([(" тенге", "KZT"), (" сумов", "UZS"), (" сомов", "KGS"), (" сомони", "TJS"),
                        (" манатов", "AZN"), (" рублей", "RUB"), (" долларов США", "USD"), (" юаней", "CNY"),
                        ("%", "")]))
def test_russian_numbers_read_back(whole: int, cents: int, sep: str, scale: tuple, unit: tuple) -> None:
    """A number written the Russian way ("2 845 310,25 млн сумов") reads back as the number written."""
    if unit[0] == "%":
        scale = ("", 1)  # a percentage takes no scale word
    assume(whole * scale[1] < 1e17)  # the recognizer drops absurd values (1e18 and up)
    groups = f"{whole:,}".replace(",", sep)
    written = f"{groups},{cents:02d}{scale[0]}{unit[0]}"
    text = f"Объём составил {written} в Казахстане."
    figures = find_figures(text, 0, len(text), lang="ru")
    assert len(figures) == 1, (text, figures)
    assert math.isclose(figures[0].value, (whole + cents / 100) * scale[1], rel_tol=1e-9), (text, figures[0])
    assert figures[0].unit == (unit[1] or "percent"), (text, figures[0])
    assert text[figures[0].start:figures[0].end].startswith(groups)


@RECOGNIZER_SETTINGS
@given(documents, st.data())
def test_find_figures_in_a_window_stays_in_it(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for figure in find_figures(text, start, end):
        assert start <= figure.start < figure.end <= len(text), (start, end, figure)
        assert math.isfinite(figure.value)


@RECOGNIZER_SETTINGS
@given(documents)
@_document_examples()
def test_layout_blocks_and_sentences_are_inside_the_text(text: str) -> None:
    previous_end = 0
    for block in layout(text).blocks:
        assert previous_end <= block.start < block.end <= len(text), block
        assert block.kind in ("heading", "paragraph", "item")
        assert text[block.start:block.end].strip()
        for sentence in block.sentences:
            assert block.start <= sentence.start <= sentence.end <= block.end, (block, sentence)
        previous_end = block.end


@RECOGNIZER_SETTINGS
@given(documents)
@_document_examples()
def test_country_mentions_point_at_their_words(text: str) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert len(mention.code) == 3 and mention.code.isupper(), mention


@RECOGNIZER_SETTINGS
@given(documents)
@_document_examples()
def test_years_are_plausible_and_in_place(text: str) -> None:
    for year in find_years(text, 0, len(text)):
        assert 0 <= year.start < year.end <= len(text)
        assert 1900 <= year.year <= 2100
        assert str(year.year)[-2:] in text[year.start:year.end], year
        if year.first is not None:
            assert year.first < year.year


def assert_claims_point_into(text: str, claims) -> None:
    """Every claim's figure and quote are where its offsets say, its value finite, its codes allowed."""
    for claim in claims:
        assert text[claim.char_start:claim.char_end] == claim.as_written, claim
        assert claim.as_written, claim
        assert text[claim.quote_start:claim.quote_start + len(claim.quote)] == claim.quote, claim
        assert claim.quote_start <= claim.char_start and claim.char_end <= claim.quote_start + len(claim.quote)
        assert math.isfinite(claim.value), claim
        assert claim.category in schema.CATEGORIES and claim.comparator in schema.COMPARATORS
        assert claim.year is None or 1900 <= claim.year <= 2100, claim
        assert claim.year_basis in (None, *schema.YEAR_BASES)


@RECOGNIZER_SETTINGS
@given(documents, reference_years)
@_document_examples(2024)
def test_extract_claims_offsets_quotes_and_values(text: str, reference_year: int | None) -> None:
    assert_claims_point_into(text, extract_claims(text, reference_year))


@settings(max_examples=40, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FIGURES + WORDS + HUGE + [" ", ", ", " and "]), min_size=200, max_size=400)
       .map(" ".join))
def test_long_lines_without_newlines(text: str) -> None:
    # A converted PDF can be one line: every sentence break must come from punctuation alone.
    assert "\n" not in text
    assert_claims_point_into(text, extract_claims(text, 2024))


# --- the whole run -------------------------------------------------------------------------------


def _run_on(tmp: Path, docs: dict[str, bytes]) -> tuple[int, Path]:
    raw, out = tmp / "raw", tmp / "out"
    raw.mkdir(parents=True)
    for name, data in docs.items():
        (raw / name).write_bytes(data)
    code = main(["--input", str(raw), "--output", str(out), "--curations", str(tmp / "none.csv"),
                 "--workers", "1", "--quiet"])
    return code, out


doc_bytes = st.one_of(
    documents.map(lambda t: t.encode("utf-8", "surrogatepass")),
    documents.map(lambda t: t.encode("utf-16")),
    st.binary(max_size=300),
)


@pytest.mark.slow
@settings(max_examples=PIPELINE_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(doc_bytes, min_size=1, max_size=4))
def test_pipeline_output_passes_the_contract(tmp_path_factory: pytest.TempPathFactory, docs: list[bytes]) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    named = {f"doc {i} Қ.txt": data for i, data in enumerate(docs)}
    code, out = _run_on(tmp, named)
    assert code in (0, 2), code  # 2: no document was readable text
    if code == 2:
        assert store.current_dir(out) is None
        return
    tables = store.read_tables(out)  # schema.check on all three
    report = store.read_report(out)
    assert sorted(report["documents_read"] + [s["doc"] for s in report["documents_skipped"]]) == sorted(named)
    texts = {}
    for name in report["documents_read"]:
        from etl.read import read_document  # the same decoding the run used

        texts[name] = read_document(tmp / "raw" / name).text
    for row in tables["claims"].to_pylist():
        text = texts[row["doc"]]
        assert text[row["char_start"]:row["char_end"]] == row["as_written"]
        assert text[row["quote_start"]:row["quote_start"] + len(row["quote"])] == row["quote"]
        assert math.isfinite(row["value"])


# --- hang guard ------------------------------------------------------------------------------------

BIG_LINE_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from etl.extract import extract_claims
    unit, size = sys.argv[1], int(sys.argv[2])
    text = (unit * (size // len(unit) + 1))[:size]
    started = time.process_time()  # CPU time: a loaded shared machine slows the wall clock, not this
    claims = extract_claims(text, 2024)
    print(f"{time.process_time() - started:.2f} {len(claims)}")
    """
)
BIG_LINES = {
    "prose": "In 2022 Kazakhstan's internet penetration reached 90.9%, and $1.2 billion was invested; ",
    "no_stops": "Kazakhstan 45% in 2022 $5 million Uzbekistan 28th out of 193 ",
    "digits_commas": "9,",
    "digits_spaces": "1 ",
    "dollar_digits": "$9",
    "mixed_script": "Қазақстанда әғқңөұүһі Oʻzbekiston gʻ sh ch 12.5% ",
    "letters": "x",
}


# Fail fast: a line ten times shorter must finish in a tenth of the limit (the work is at least linear).
PROBE_CHARS, PROBE_LIMIT_SECONDS = BIG_LINE_CHARS // 10, HANG_LIMIT_SECONDS / 5
WALL_FACTOR = 3  # the child is killed after this many times its CPU limit of wall time


def time_big_line(unit: str, size: int = BIG_LINE_CHARS, limit: float = HANG_LIMIT_SECONDS) -> float:
    """CPU seconds extract_claims takes on one `size`-char line of `unit` repeated (inf if it was killed)."""
    try:
        done = subprocess.run([sys.executable, "-c", BIG_LINE_SCRIPT, unit, str(size)], capture_output=True,
                              text=True, timeout=limit * WALL_FACTOR, cwd=paths.REPO_ROOT)
    except subprocess.TimeoutExpired:
        print(f"{size:,}-char line of {unit[:20]!r}...: killed after {limit * WALL_FACTOR:.0f} s of wall time")
        return float("inf")
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, n_claims = done.stdout.split()
    print(f"{size:,}-char line of {unit[:20]!r}...: {seconds} s, {n_claims} claims")
    return float(seconds)


@pytest.mark.slow
@pytest.mark.parametrize("kind", [
    *(k for k in BIG_LINES if k not in ("no_stops", "digits_commas")),
    "no_stops",
    "digits_commas",
])
def test_one_megabyte_line_finishes(kind: str) -> None:
    probe = time_big_line(BIG_LINES[kind], PROBE_CHARS, PROBE_LIMIT_SECONDS)
    assert probe < PROBE_LIMIT_SECONDS, f"a {PROBE_CHARS:,}-char line of {kind} took over {PROBE_LIMIT_SECONDS} s"
    seconds = time_big_line(BIG_LINES[kind])
    assert seconds < HANG_LIMIT_SECONDS, f"extract_claims on a 1 MB line of {kind} took {seconds:.0f} s of CPU"
