"""The indicator catalogue: id -> label, category, unit, definition. (being written)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    category: str
    unit: str
    definition: str


def _entries(rows: list[tuple[str, str, str, str, str]]) -> dict[str, Indicator]:
    return {row[0]: Indicator(*row) for row in rows}


# id, label, category, unit, definition. Labels and definitions are what the dashboard shows.
CATALOGUE: dict[str, Indicator] = _entries([
    ("internet_penetration_pct", "Internet penetration", "penetration", "percent",
     "Share of the population using or covered by the internet, as the report states it."),
    ("internet_non_users_pct", "Population not using the internet", "penetration", "percent",
     "Share of the population not using the internet."),
    ("mobile_penetration_pct", "Mobile penetration", "penetration", "percent",
     "Mobile subscriptions or users as a share of the population."),
    ("broadband_penetration_pct", "Broadband penetration", "penetration", "percent",
     "Broadband subscriptions or access as a share of the population or households."),
    ("mobile_network_coverage_pct", "Mobile network coverage", "penetration", "percent",
     "Share of the population or territory covered by 3G/4G/5G networks."),
    ("digital_literacy_pct", "Digital literacy", "penetration", "percent",
     "Share of the population with basic digital skills."),
    ("digital_banking_users_pct", "Digital banking use", "penetration", "percent",
     "Share of the population using online or mobile banking or digital payments."),
    ("telemedicine_coverage_pct", "Telemedicine coverage", "penetration", "percent",
     "Share of the population covered by telemedicine services."),
    ("egov_services_online_pct", "Government services online", "penetration", "percent",
     "Share of public services available online."),
    ("egov_services_online_pct_target", "Government services online (target)", "penetration", "percent",
     "Target share of public services available online."),
    ("investment_amount", "Investment, grants and funding", "investment", "USD",
     "Money invested, pledged, granted, lent or mobilized for digital development."),
    ("budget_amount", "Budget", "budget", "USD", "Money budgeted or allocated for a programme or project."),
    ("budget_planned", "Budget (planned)", "budget", "USD", "Planned amount of a budget line."),
    ("budget_actual", "Budget (actual expenditure)", "budget", "USD", "Actual expenditure of a budget line."),
    ("budget_variance", "Budget variance", "budget", "USD", "Planned minus actual expenditure of a budget line."),
    ("gii_rank", "Global Innovation Index rank", "ranking", "rank", "Position in WIPO's Global Innovation Index."),
    ("egdi_rank", "UN E-Government Development Index rank", "ranking", "rank",
     "Position in the UN E-Government Development Index."),
    ("epart_rank", "UN E-Participation Index rank", "ranking", "rank", "Position in the UN E-Participation Index."),
    ("ai_readiness_rank", "Government AI Readiness Index rank", "ranking", "rank",
     "Position in Oxford Insights' Government AI Readiness Index."),
    ("govtech_maturity_rank", "GovTech Maturity Index rank", "ranking", "rank",
     "Position in the World Bank's GovTech Maturity Index."),
    ("ict_development_rank", "ICT Development Index rank", "ranking", "rank",
     "Position in ITU's ICT Development Index."),
    ("network_readiness_rank", "Network Readiness Index rank", "ranking", "rank",
     "Position in the Network Readiness Index."),
    ("cybersecurity_rank", "Global Cybersecurity Index rank", "ranking", "rank",
     "Position in ITU's Global Cybersecurity Index."),
    ("ranking_other", "Other ranking", "ranking", "rank", "Position in a ranking the report does not name."),
    ("ict_exports", "ICT services exports", "other", "USD", "Value of exported ICT or IT services."),
    ("ecommerce_sales", "E-commerce sales", "other", "USD", "Value of e-commerce sales."),
    ("money_amount", "Other money amount", "other", "USD", "An amount of money not classified further."),
    ("change_pct", "Change (%)", "other", "percent", "A relative increase or reduction, in percent."),
    ("growth_rate_pct", "Growth rate", "other", "percent", "An annual or period growth rate."),
    ("share_pct", "Other share (%)", "other", "percent", "A percentage not classified further."),
    ("female_share_pct", "Share of women", "other", "percent", "Share of women or girls among participants."),
    ("event_participants", "Event participants", "other", "count", "People attending an event, in person or online."),
    ("event_sessions", "Event sessions", "other", "count", "Panel sessions, workshops or trainings held."),
    ("students_reached", "Students reached", "other", "count", "Students or learners reached by a programme."),
    ("people_reached", "People reached", "other", "count", "People served or reached by a service or programme."),
    ("users", "Users", "other", "count", "Users, customers or accounts of a service."),
    ("count_other", "Other count", "other", "count", "A count whose subject the text does not name clearly."),
])


# Words that a label keeps in capitals: "ict_graduates" -> "ICT graduates".
ACRONYMS = {w: w.upper() for w in ("ict", "it", "gii", "egdi", "sme", "smes", "ai", "5g", "4g", "3g", "lte", "usd",
                                   "gdp", "pct", "km", "vc", "epi", "idi", "nri", "gci")}
ACRONYMS.update({"pct": "(%)", "per100": "(per 100 people)", "smes": "SMEs"})


def describe(indicator_id: str, category: str = "other", unit: str = "count") -> Indicator:
    """The catalogue entry for `indicator_id`, or a plain one derived from the id."""
    known = CATALOGUE.get(indicator_id)
    if known:
        return known
    words = indicator_id.replace("_", " ").split()
    label = " ".join(ACRONYMS.get(w, w) for w in words)
    label = label[0].upper() + label[1:] if label else indicator_id
    return Indicator(indicator_id, label, category, unit, f"{label}, as stated in the source document.")
