"""Russian: figures, countries, years and indicators, table-driven on sentences written for the test,
with the near misses that must not match."""

from __future__ import annotations

import pytest

from etl.countries import find_mentions
from etl.extract import extract_claims
from etl.figures import find_figures, pair_figures
from etl.lang import detect
from etl.years import find_years


def figures(text: str) -> list[tuple[float, str, str]]:
    """The figures of one Russian sentence, read alone and then as pairs and runs."""
    found = find_figures(text, 0, len(text), lang="ru")
    pair_figures(text, found)
    return [(round(f.value, 6), f.unit, f.comparator) for f in found]


@pytest.mark.parametrize("text, expected", [
    # number grammar: decimal commas, space and narrow no-break space thousands
    ("Проникновение достигло 87,6%.", [(87.6, "percent", "=")]),
    ("Число абонентов составило 2 845 310.", [(2845310, "count", "=")]),
    ("Число абонентов составило 2\u202f845\u00a0310.", [(2845310, "count", "=")]),
    ("Выручка выросла до 1 234,5 тыс. тенге.", [(1234500, "KZT", "=")]),
    ("Объём составил 6,737 млн долларов.", [(6737000, "USD", "=")]),
    # scale words and their case forms
    ("Доходы составили 25,1 млрд сомов.", [(25.1e9, "KGS", "=")]),
    ("Выплаты составили 231 миллион сомов.", [(231e6, "KGS", "=")]),
    ("Доход достиг 1 205,1 миллиона манатов.", [(1205.1e6, "AZN", "=")]),
    ("Экспорт составил 17 млн 500 тысяч долларов.", [(17.5e6, "USD", "=")]),
    ("Доходы составили 2 млрд. 281 млн. 800 тыс. сомони.", [(2281.8e6, "TJS", "=")]),
    ("Их было 12 тысяч 617 человек.", [(12617, "count", "=")]),
    # currencies with case forms
    ("Кредит на 50 млн долл. США.", [(50e6, "USD", "=")]),
    ("Бюджет — 7,2 трлн сумов.", [(7.2e12, "UZS", "=")]),
    ("Стоимость — 300 млрд тенге и 2 млн рублей.", [(300e9, "KZT", "="), (2e6, "RUB", "=")]),
    ("Доходы — 1,72 триллиона юаней (около 253 миллиардов долларов).", [(1.72e12, "CNY", "="), (253e9, "USD", "~")]),
    ("Почти $90 миллионов экспорта.", [(90e6, "USD", "~")]),
    ("на реализацию потратят полтора триллиона тенге", [(1.5e12, "KZT", "=")]),
    # percents and points
    ("Доля выросла на 13,1 процента.", [(13.1, "percent", "=")]),
    ("Показатель вырос на 2,3 процентных пункта.", [(2.3, "percentage_points", "=")]),
    ("Разница составила 0,5 п.п.", [(0.5, "percentage_points", "=")]),
    ("Казахстан (14.9 %) идёт вторым.", [(14.9, "percent", "=")]),
    # comparators
    ("Число пользователей превысило 13 миллионов.", [(13e6, "count", ">")]),
    ("Свыше 1,3 трлн тенге — внебюджетные средства.", [(1.3e12, "KZT", ">")]),
    ("Инвестиции составят около 300 млрд тенге.", [(300e9, "KZT", "~")]),
    ("Охват достиг порядка 80%.", [(80, "percent", "~")]),
    ("Скорость — менее 5 Мбит/с.", [(5, "Mbps", "<")]),
    ("Не менее 40% школ подключены.", [(40, "percent", ">")]),
    # ranks and rank moves
    ("Страна заняла 72-е место.", [(72, "rank", "=")]),
    ("Россия — на 113-м месте.", [(113, "rank", "=")]),
    ("Япония оказалась на 60-й позиции.", [(60, "rank", "=")]),
    ("Страна заняла 41 место из 193.", [(41, "rank", "=")]),
    ("В рейтинге Казахстан поднялся на 5 позиций.", [(5, "count", "=")]),
    ("Казахстан потерял одну позицию в рейтинге.", [(1, "count", "=")]),
    ("Алматы занял первое место в рейтинге.", [(1, "rank", "=")]),
    # multipliers
    ("Сеть расширена в 10 раз.", [(10, "times", "=")]),
    ("Экспорт вырос в 4 раза.", [(4, "times", "=")]),
    ("Экспорт растёт вдвое ежегодно.", [(2, "times", "=")]),
    ("Экспорт вырос в два раза.", [(2, "times", "=")]),
    # ranges
    ("Это составляет от 10 до 12 процентов населения.", [(10, "percent", ">"), (12, "percent", "<")]),
    ("Рост составит 7–8%.", [(7, "percent", "="), (8, "percent", "=")]),
    ("Длина выросла с 17,9 тысячи км до 18,9 тысячи.", [(17900, "km", "="), (18900, "km", "=")]),
    ("Скорость — 20,9 и 11,38 Мбит/с соответственно.", [(20.9, "Mbps", "="), (11.38, "Mbps", "=")]),
    # units
    ("Скорость достигла 35,71 Мбит/с.", [(35.71, "Mbps", "=")]),
    ("Канал расширен до 35 Гбит/с.", [(35, "Gbit/s", "=")]),
    ("Протяжённость ВОЛС — 23,4 тысячи км.", [(23400, "km", "=")]),
    # near misses: dates, years, names with numbers, articles, editions, phones, 5G, ages, periods
    ("Указ подписан 1 февраля 2024 года.", []),
    ("Данные опубликованы 28.01.2019.", []),
    ("В 2023 году и по итогам 2024 года.", []),
    ("Согласно статье 33 закона.", []),
    ("Согласно статья 33 и пункт 5.", []),
    ("Программа «Цифровой Казахстан 2025» утверждена.", []),
    ("Внедрение сетей 5G и 4G/LTE.", []),
    ("Прошёл шестой форум, а затем 5-й форум и 2-й квартал.", []),
    ("Звоните по телефону +7 (727) 123-45-67.", []),
    ("Пользователи — люди от 14 до 30 лет.", []),
    ("За последние 3 месяца.", []),
    ("В апреле 2022-го скорость была выше.", []),
])
def test_russian_figures(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text, codes", [
    ("Казахстан, Казахстана, Казахстану, Казахстаном, Казахстане", ["KAZ"] * 5),
    ("Кыргызстан и Киргизия, КР, Кыргызской Республики", ["KGZ"] * 4),
    ("РК и РУз", ["KAZ", "UZB"]),
    ("казахстанский интернет, узбекских операторов", ["KAZ", "UZB"]),
    ("России, Россию, Беларуси, Китае, Литве", ["RUS", "RUS", "BLR", "CHN", "LTU"]),
    ("Центральной Азии, СНГ, ЕАЭС", ["XCA", "XCI", "XEA"]),
    ("в Ташкенте", ["UZB"]),
    ("Южной Кореи и США", ["KOR", "USA"]),
    ("в мире", ["WLD"]),
    ("в мировом рейтинге", []),  # a world ranking names no world figure
    ("Цифровой рынок растёт", []),
])
def test_russian_mentions(text, codes):
    assert [m.code for m in find_mentions(text, places=True)] == codes


@pytest.mark.parametrize("text, years", [
    ("в 2023 году", [2023]),
    ("2023 г.", [2023]),
    ("за 2023 год", [2023]),
    ("по итогам 2024 года", [2024]),
    ("в первом полугодии 2024 года", [2024]),
    ("на начало 2025 года", [2025]),
    ("в апреле 2022-го", [2022]),
    ("Стратегия «Цифровой Узбекистан - 2030»", []),
    ("Программа Цифровой Казахстан 2025", []),
])
def test_russian_years(text, years):
    assert [y.year for y in find_years(text, 0, len(text))] == years


def test_since_and_comparison_years_do_not_date():
    text = "По сравнению с 2011 годом доходы выросли на 14,6%, что выше показателей 2010 года."
    assert all(y.since for y in find_years(text, 0, len(text)))


def one(text: str, reference_year: int | None = 2024) -> list[tuple]:
    return [(c.country, round(c.value, 6), c.unit, c.year, c.indicator, c.category)
            for c in extract_claims(text, reference_year)]


@pytest.mark.parametrize("text, expected", [
    ("В Кыргызстане в 2023 году насчитывалось 4,1 млн пользователей интернета.",
     [("KGZ", 4.1e6, "people", 2023, "users", "other")]),
    ("В Казахстане проникновение интернета достигло 92,3% в 2023 году.",
     [("KAZ", 92.3, "percent", 2023, "internet_penetration_pct", "penetration")]),
    ("На реализацию проекта из бюджета выделено 20 млрд тенге.",
     [("KAZ", 20e9, "KZT", None, "budget_amount", "budget")]),  # undated event: no publication year
    ("Инвестиции в сектор ИКТ Азербайджана в 2014 году составили 96,1 миллиона манатов.",
     [("AZE", 96.1e6, "AZN", 2014, "investment_amount", "investment")]),
    ("В 2023 году Казахстан занял 72-е место в рейтинге Speedtest.",
     [("KAZ", 72, "rank", 2023, "internet_speed_rank", "ranking")]),
    ("Таджикистан и Туркменистан замыкают список с показателями 8,2% и 1,5% соответственно.",
     [("TJK", 8.2, "percent", None, "share_pct", "other"), ("TKM", 1.5, "percent", None, "share_pct", "other")]),
])
def test_russian_claims(text, expected):
    assert one(text) == expected


def test_one_series_in_both_languages():
    """'пользователи интернета' and 'internet users' are one indicator; so are the penetration rates."""
    ru = extract_claims("В Узбекистане 13 млн пользователей интернета, проникновение интернета — 71%.", 2020)
    en = extract_claims("Uzbekistan has 13 million internet users; internet penetration is 71%.", 2020)
    assert [(c.indicator, c.category) for c in ru] == [(c.indicator, c.category) for c in en]


def test_year_of_an_aside_stays_in_it():
    text = "Скорость достигла почти 35 Гбит/с (на конец 2015 года — 26,4 Гбит/с)."
    claims = {c.value: c.year for c in extract_claims(text, 2016)}
    assert claims == {35: None, 26.4: 2015}  # "достигла": an event the text does not date


def test_a_russian_report_carries_its_year_to_the_next_paragraph():
    text = ("В 2018 году доходы отрасли связи Таджикистана составили 2,6 млрд сомони.\n\n"
            "Доход «Таджиктелекома» составил около 197 млн сомони.")
    assert [c.year for c in extract_claims(text, 2019)] == [2018, 2018]


def test_an_english_report_carries_it_too():
    # English news frames its year once as well (realdocs: "a headline or an earlier sentence" dates figures).
    text = ("In 2018 Tajikistan's telecom revenue reached 2.6 billion somoni.\n\n"
            "Tajiktelecom earned about 197 million somoni.")
    assert [c.year for c in extract_claims(text, 2019)] == [2018, 2018]


@pytest.mark.parametrize("text, language", [
    ("Internet penetration reached 92%.", "en"),
    ("Проникновение интернета достигло 92%.", "ru"),
    ("В отчёте Speedtest Global Index Казахстан занял 72-е место.", "ru"),
    ("The report «Цифровой Казахстан» was published in English.", "en"),
    ("", "en"),
])
def test_language_per_paragraph(text, language):
    assert detect(text) == language


def test_offsets_are_exact_in_russian():
    text = "В Кыргызстане 760 тысяч пользователей, это от 10 до 12 процентов населения."
    for claim in extract_claims(text, 2009):
        assert text[claim.char_start:claim.char_end] == claim.as_written
        assert text[claim.quote_start:claim.quote_start + len(claim.quote)] == claim.quote


def test_a_currency_written_once_covers_the_amounts_after_it():
    text = "На цифровизацию предусмотрено 2,1 млрд сомов, из них 640 млн — на «Тундук», ещё 300 млн — на школы."
    assert [(c.value, c.unit) for c in extract_claims(text, 2023)] == [(2.1e9, "KGS"), (640e6, "KGS"), (300e6, "KGS")]


def test_a_count_of_things_keeps_its_noun_beside_money():
    text = "Бюджет 2,1 млрд сомов покроет 300 тыс. абонентов."
    assert [(c.value, c.unit) for c in extract_claims(text, 2023)] == [(2.1e9, "KGS"), (300e3, "count")]


def test_a_dash_after_the_figure_leads_to_its_country():
    text = "В 2020 году интернетом пользовались 85,9% жителей Казахстана, 71,1% — Узбекистана и 51,0% — Кыргызстана."
    assert [(c.value, c.country) for c in extract_claims(text, 2021)] == [(85.9, "KAZ"), (71.1, "UZB"), (51.0, "KGZ")]


def test_a_text_that_names_no_country_is_about_the_country_of_its_currency():
    text = "Депутаты рассмотрели отчёт: на цифровизацию израсходовано 412,6 млрд сумов."
    assert [c.country for c in extract_claims(text, 2021)] == ["UZB"]


def test_a_table_with_bars_but_no_rule_line():
    text = ("Показатель | 2023 | 2024\n"
            "Доля домохозяйств с доступом к интернету, % | 93,1 | 94,2\n"
            "Абоненты мобильной связи, млн | 9,7 | 10,1\n")
    got = [(c.value, c.unit, c.year) for c in extract_claims(text, 2025)]
    assert got == [(93.1, "percent", 2023), (94.2, "percent", 2024), (9.7e6, "count", 2023), (10.1e6, "count", 2024)]


def test_one_line_with_a_bar_is_not_a_table():
    text = "Итоги | 2024: доля выросла до 93,1%."
    assert [(c.value, c.unit) for c in extract_claims(text, 2025)] == [(93.1, "percent")]
