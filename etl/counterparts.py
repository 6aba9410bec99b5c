"""Who gives the money: the investor, donor or lender of a money figure (its counterpart).

A money claim's `country` is where the money goes (the recipient); the counterpart is who
provides it, as an ISO alpha-3 code or an organisation's short name. "Japan adds $12 million
to Kyrgyzstan's e-health project" is KGZ with counterpart JPN; "a $50 million World Bank loan"
has counterpart "World Bank". The cues are tables: organisations, words that make the name
before them a giver ("X pledged"), and words that make the name after them one ("funded by X").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.countries import figure_countries
from etl.patterns import opening

# Lenders, donors and funds by the names reports use -> the short name stored.
ORGANISATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name) for pattern, name in (
        (r"\bWorld\s+Bank\b|\bIBRD\b|(?<!\w)Всемирн\w*\s+банк\w*", "World Bank"),
        (r"\bAsian\s+Development\s+Bank\b|\bADB\b|(?<!\w)АБР(?!\w)|(?<!\w)Азиатск\w*\s+банк\w*\s+развития",
         "ADB"),
        (r"\bAsian\s+Infrastructure\s+Investment\s+Bank\b|\bAIIB\b|(?<!\w)АБИИ(?!\w)", "AIIB"),
        (r"\bEuropean\s+Bank\s+for\s+Reconstruction\s+and\s+Development\b|\bEBRD\b|(?<!\w)ЕБРР(?!\w)", "EBRD"),
        (r"\bEuropean\s+Investment\s+Bank\b|\bEIB\b|(?<!\w)ЕИБ(?!\w)", "EIB"),
        (r"\bEurasian\s+Development\s+Bank\b|\bEDB\b|(?<!\w)ЕАБР(?!\w)|(?<!\w)Евразийск\w*\s+банк\w*\s+развития",
         "EDB"),
        (r"\bIslamic\s+Development\s+Bank\b|\bIsDB\b|(?<!\w)ИсБР(?!\w)|(?<!\w)Исламск\w*\s+банк\w*\s+развития",
         "IsDB"),
        (r"\bInternational\s+Finance\s+Corporation\b|\bIFC\b", "IFC"),
        (r"\bInternational\s+Monetary\s+Fund\b|\bIMF\b|(?<!\w)МВФ(?!\w)", "IMF"),
        (r"\bUNDP\b|(?<!\w)ПРООН(?!\w)", "UNDP"),
        (r"\bUNICEF\b|(?<!\w)ЮНИСЕФ(?!\w)", "UNICEF"),
        (r"\bUSAID\b", "USAID"),
        (r"\bJICA\b", "JICA"),
        (r"\bKOICA\b", "KOICA"),
        (r"\bGIZ\b", "GIZ"),
        (r"\bKfW\b", "KfW"),
        (r"\bOPEC\s+Fund\b", "OPEC Fund"),
        (r"\bEuropean\s+Union\b|\bEU\b|(?<!\w)Европейск\w*\s+(?:союз\w*|Союз\w*)|(?<!\w)ЕС(?!\w)", "EU"),
        (r"\bGreen\s+Climate\s+Fund\b", "Green Climate Fund"),
    )
)
# Any of them, for one look at a sentence before each is searched (every name starts with a capital).
ANY_ORGANISATION = re.compile(r"(?=[A-ZА-ЯЁ])(?:" + "|".join(f"(?:{p.pattern})" for p, _ in ORGANISATIONS) + ")")

# Verbs of giving, and nouns of given money: "China pledged", "a Russian operator invested", "Japan's grant",
# "ADB loan", "World Bank-funded". A noun counts only after a possessive, so "Tajikistan received loans"
# names no giver.
GIVING_VERBS = (r"pledg\w*|invest(?:s|ed|ing)?|provid(?:e|es|ed|ing)|granted|lends?|lent|loaned|adds?|added|"
                r"committ?(?:s|ed|ing)?|financ(?:e|es|ed|ing)|funds|funded|funding|donat\w*|disburs\w*|extend(?:s|ed)|"
                r"approv\w*\s+(?:a\s+)?(?:\S+\s+)?(?:loan|grant|credit)|allocat\w+\s+(?:a\s+)?(?:loan|grant)|backed|"
                r"sponsor\w*|contribut\w*|"
                r"инвестир\w*|выдел\w*|предостав\w*|профинансир\w*|финансир\w*")
GIVING_NOUNS = (r"loans?|grants?|credits?|funding|financing|investments?|support|assistance|aid|contribution|"
                r"кредит\w*|грант\w*|заем|заём|займ\w*")
GIVER_AFTER = re.compile(
    r"(?:\)?\s*\([^()]{1,12}\))?"  # "People's Republic of China (PRC) pledged"
    r"(?:(?:['’]s|(?<=['’]s))(?:\s+[a-z][\w-]*){0,3}?\s*(?:[-‑]\s*)?(?:" + GIVING_NOUNS + "|" + GIVING_VERBS + r")"
    r"|\)?(?:\s+[a-z][\w-]*){0,2}?(?:\s+[A-Z][\w-]*)?(?:\s+(?:will|has|have|is|are))?\s*(?:[-‑]\s*)?"
    r"(?:" + GIVING_VERBS + r"))\b", re.I)
# A name preceded by one of these gives the money: "funded by Japan", "при поддержке Всемирного банка".
GIVER_BEFORE = opening(
    r"\b(?:(?:funded|financed|backed|supported|provided|granted|sponsored|co-?financed|donated|lent)\s+by|"
    r"(?:loan|loans|grant|grants|credit|credits|funding|financing|investment|investments|support|assistance|aid|"
    r"money|funds|contribution)\s+(?:from|of|by)|with\s+(?:the\s+)?(?:support|help|assistance|funding|financing)"
    r"\s+(?:of|from)|from|(?:co-?)?financing\s*\()\s*(?:the\s+)?(?:government\s+of\s+)?$"
    r"|(?<!\w)(?:при\s+(?:финансовой\s+)?поддержке|за\s+сч[её]т\s+(?:средств\s+)?|кредит\w*|грант\w*|заем|заём|"
    r"займ\w*|средств\w*|финансировани\w*|инвестици\w*|помощ\w*)\s+$", re.I)
WINDOW = 60  # characters before a name that can hold its cue
# "the China Development Bank", "Korea Eximbank": a state lender named by its country
STATE_LENDER = re.compile(r"(?:['’]s)?\s+(?:Development\s+Bank|Export[-‑]Import\s+Bank|Exim(?:bank)?\b|EXIM\b)")
AID_NOUN_END = re.compile(r"(?:support|assistance|aid|loans?|grants?|credits?|funding|financing|contribution)$", re.I)
# A sentence without one of these words gives no money (a cheap look before the full cue tables).
GIVING_HINT = opening(r"(?<!\w)(?:pledg|invest|provid|grant|lend|lent|loan|add|commit|financ|fund|donat|disburs|"
                         r"credit|support|assist|aid|back|sponsor|contribut|кредит|грант|заем|заём|займ|инвест|выдел|"
                         r"предостав|финанс|поддержк|помощ)", re.I)
MONEY_HINT = opening(r"[$€£¥₸₽₼₾₮]|\b(?:USD|EUR|KZT|UZS|KGS|TJS|AZN|GEL|MNT|PKR|CNY|RUB|TMT|AFN|Rs|dollars?|"
                        r"euros?|tenge|soums?|soms?|somoni|manats?|lari|rupees|yuan|afghanis)\b|(?<!\w)(?:долл\w*|"
                        r"тенге|сум\w*|сом\w*|манат\w*|руб\w*)", re.I)
LENDING = opening(r"(?<!\w)(?:loans?|grants?|credits?|financ\w*|funded|funding|aid|assistance|donat\w*|"
                     r"кредит\w*|грант\w*|заем|заём|займ\w*)(?!\w)", re.I)
# A country the money goes to: "to Kyrgyzstan's e-health project", "for a data centre in Uzbekistan",
# "of Uzbekistan's 4G roll-out"; a second giver ("and Kazakhstan KZT 40 bn") is no recipient.
RECIPIENT_BEFORE = opening(r"(?:\b(?:to|in|into|for|towards|across|of|benefit(?:ing)?)|(?<!\w)(?:в|на|для))\s+"
                              r"(?:the\s+)?$", re.I)
RECIPIENT_AFTER = re.compile(r"['’]s\s")


def pick_recipient(figure_start: int, figure_end: int, limit: int, recipients: Sequence[tuple[str, int, int]]
                   ) -> str | None:
    """The recipient of one figure: the first named after it and before `limit` (the next figure),
    as in "pledged $209 million to Tajikistan", else the nearest before it; None when there is none."""
    after = [code for code, start, _ in recipients if figure_end <= start < limit]
    before = [code for code, _, end in recipients if end <= figure_start]
    return after[0] if after else (before[-1] if before else None)


def is_recipient(text: str, start: int, end: int) -> bool:
    """Does the country mention at text[start:end] read as where money goes?"""
    return bool(RECIPIENT_BEFORE.search(text, max(0, start - 20), start) or RECIPIENT_AFTER.match(text, end))


@dataclass(frozen=True, slots=True)
class Counterpart:
    """The giver of a money figure: `name` as stored, `code` when it is a country in the text.

    `from_abroad`: the wording says the money comes from outside ("grant from Korea", "funded by
    Japan", any lender), so a recipient the sentence does not name is the document's country; a
    country that merely acts ("Uzbekistan committed $300M") may be spending at home.
    """

    name: str
    code: str | None
    start: int
    end: int
    from_abroad: bool = True


def find_counterpart(text: str, start: int, end: int, countries: Sequence[tuple[str, int, int]]
                     ) -> Counterpart | None:
    """The investor, donor or lender named in text[start:end] (a sentence or clause), or None.

    `countries` are the country mentions there as (code, start, end). An organisation on the
    ORGANISATIONS list is a giver wherever it stands; a country only with a giver cue around it.
    """
    found: list[Counterpart] = []
    if ANY_ORGANISATION.search(text, start, end):
        for pattern, name in ORGANISATIONS:
            for m in pattern.finditer(text, start, end):
                found.append(Counterpart(name, None, m.start(), m.end()))
    lending = LENDING.search(text, start, end) is not None
    for code, c_start, c_end in countries:
        if GIVER_BEFORE.search(text, max(start, c_start - WINDOW), c_start) or \
                STATE_LENDER.match(text, c_end, min(end, c_end + WINDOW)):
            found.append(Counterpart(code, code, c_start, c_end))
        elif (after := GIVER_AFTER.match(text, c_end, min(end, c_end + WINDOW))):
            # "Japan's total support", "Korea is providing ... in technical assistance": aid from abroad;
            # "Uzbekistan committed $300M to digital infrastructure": a country spending at home
            foreign = lending or AID_NOUN_END.search(after.group(0)) is not None
            found.append(Counterpart(code, code, c_start, c_end, from_abroad=foreign))
    if not found:
        return None
    return min(found, key=lambda c: c.start)


def figure_counterpart(ctx, i: int, countries: list[str]) -> tuple[list[str], str | None]:
    """Recipient countries and giver of money figure i of a `SentenceContext`, given the countries
    `figure_countries` found: "Japan adds $12M to Kyrgyzstan's e-health project" is (["KGZ"], "JPN")."""
    text, sentence, figure = ctx.text, ctx.sentence, ctx.figures[i]
    strong = [(m.code, m.start, m.end) for m in ctx.mentions if not m.weak and not m.place]
    giver = _sentence_giver(text, sentence.start, sentence.end, tuple(strong))
    if giver is None or giver.code is None:
        return countries, giver.name if giver else None
    # The recipient is a country the sentence names besides the giver; without one, a country
    # that acts ("Uzbekistan committed $300M to digital infrastructure") invests at home, while
    # money "from Korea" goes to the country the text is about.
    others = tuple(m for m in ctx.mentions if m.code != giver.code and not m.weak
                   and (m.place or is_recipient(text, m.start, m.end)))  # "a data centre in Tashkent"
    if not others and not giver.from_abroad:
        return countries, None
    limit = ctx.figures[i + 1].start if i + 1 < len(ctx.figures) else sentence.end
    picked = pick_recipient(figure.start, figure.end, limit, [(m.code, m.start, m.end) for m in others])
    recipients = [picked] if picked else [
        c for c in figure_countries(ctx._replace(mentions=others), i) if c != giver.code]
    return (recipients, giver.code) if recipients else (countries, None)


def foreign_giver(text: str, start: int, end: int, mentions) -> str | None:
    """The country that gives money to another country named in text[start:end] (a sentence), or None:
    "The Government of Japan will provide $12 million ... in Kyrgyzstan" -> "JPN". Such a giver is not
    what the sentence's other figures are about."""
    if not MONEY_HINT.search(text, start, end):
        return None  # no money in the sentence: "Uzbekistan's initiative provided services to 2 million people"
    strong = tuple((m.code, m.start, m.end) for m in mentions if not m.weak and not m.place)
    if len({code for code, _, _ in strong}) < 2 and not any(m.place for m in mentions):
        # One country and no recipient named: a giver only where the sentence lends or grants money
        # ("a $64.5 million loan from China"), not "Speakers from Uzbekistan said ...".
        if not LENDING.search(text, start, end):
            return None
        found = _sentence_giver(text, start, end, strong) if strong else None
        return found.code if found is not None and found.code and found.from_abroad else None
    found = _sentence_giver(text, start, end, strong)
    return found.code if found is not None else None


_last_giver: dict[tuple, Counterpart | None] = {}


def _sentence_giver(text: str, start: int, end: int, strong: tuple) -> Counterpart | None:
    """find_counterpart, looked up once per sentence however many money figures it holds."""
    key = (text[start:end], start, strong)
    if key not in _last_giver:
        _last_giver.clear()  # one sentence at a time: the cache never grows
        _last_giver[key] = find_counterpart(text, start, end, strong)
    return _last_giver[key]
