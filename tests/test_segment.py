"""Layout (headings, paragraphs, list items), sentences and clauses, with offsets kept."""

from __future__ import annotations

import pytest

from etl.segment import clauses, layout, sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in sentences(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coverage rose. Prices fell.", ["Coverage rose.", "Prices fell."]),
        ("Penetration reached 49.7 per cent. Prices fell.", ["Penetration reached 49.7 per cent.", "Prices fell."]),
        ("Donors, e.g. the EU, paid. Work began.", ["Donors, e.g. the EU, paid.", "Work began."]),
        ("The U.S. Agency funded it. Work began.", ["The U.S. Agency funded it.", "Work began."]),
        ("Dr. Aliyev spoke. Questions followed.", ["Dr. Aliyev spoke.", "Questions followed."]),
        ("Speaker J. Smith opened the forum. Panels followed.",
         ["Speaker J. Smith opened the forum.", "Panels followed."]),
        ("Is it ready? Not yet! Work goes on.", ["Is it ready?", "Not yet!", "Work goes on."]),
        ('He said "it works." Then he left.', ['He said "it works."', "Then he left."]),
        ("Costs fell approx. 10 per cent in 2023.", ["Costs fell approx. 10 per cent in 2023."]),
        ("One sentence without a full stop", ["One sentence without a full stop"]),
        # A sentence may start with a currency sign.
        ("Work began in 2021. ₸45 billion was set aside. $3m followed.",
         ["Work began in 2021.", "₸45 billion was set aside.", "$3m followed."]),
        # A run of short lines that end in figures is a list: one sentence per line.
        ("Mobile coverage, 2024\nGeorgia — 99.1%\nArmenia: 98\nMongolia - 96.5",
         ["Mobile coverage, 2024", "Georgia — 99.1%", "Armenia: 98", "Mongolia - 96.5"]),
        # A footnote marker after the stop still ends the sentence.
        ("Operators built 29,800 stations.¹² Median speed was 27.6 Mbps. Prices fell.[3] Work went on.",
         ["Operators built 29,800 stations.¹²", "Median speed was 27.6 Mbps.", "Prices fell.[3]", "Work went on."]),
        # Near misses: a single short line ending in a number, and hard-wrapped prose, stay whole.
        ("The rollout covered 120\nTowns across the regions joined the plan later.",
         ["The rollout covered 120\nTowns across the regions joined the plan later."]),
        ("Operators in Kyrgyzstan said that fixed broadband subscriptions grew to 2024\n"
         "Levels last seen before the pandemic, and mobile data traffic rose by 35\nPer cent.",
         ["Operators in Kyrgyzstan said that fixed broadband subscriptions grew to 2024\n"
          "Levels last seen before the pandemic, and mobile data traffic rose by 35\nPer cent."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kazakhstan invested, and Uzbekistan followed", ["Kazakhstan invested", "and Uzbekistan followed"]),
        ("Users grew to 500,000 in 2023", ["Users grew to 500,000 in 2023"]),
        ("Georgia (57th, up from 60th) leads; Armenia follows",
         ["Georgia (57th, up from 60th) leads", "Armenia follows"]),
        ("Results: coverage rose", ["Results", "coverage rose"]),
        ("The corridor – opened in 2024 – cut delays", ["The corridor", "opened in 2024", "cut delays"]),
    ],
)
def test_clauses(text: str, expected: list[str]) -> None:
    assert [text[c.start:c.end] for c in clauses(text, 0, len(text))] == expected


REPORT = """# Digital Mongolia 2024

Mobile use grew fast. Prices fell.

## Key figures

- Fixed broadband: 34.5%
- Digital ID holders: 2.1 million

1.1. Introduction

The review covers five pillars.

- **Targeted Investments:**

- Mongolia invested $40M in fibre.
"""


def _blocks(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start:b.end]) for b in layout(text).blocks]


def test_layout_kinds_and_text() -> None:
    assert _blocks(REPORT) == [
        ("heading", "Digital Mongolia 2024"),
        ("paragraph", "Mobile use grew fast. Prices fell."),
        ("heading", "Key figures"),
        ("item", "Fixed broadband: 34.5%"),
        ("item", "Digital ID holders: 2.1 million"),
        ("heading", "1.1. Introduction"),
        ("paragraph", "The review covers five pillars."),
        ("heading", "**Targeted Investments:**"),
        ("item", "Mongolia invested $40M in fibre."),
    ]


def test_items_sit_under_their_headings() -> None:
    page = layout(REPORT)
    item = next(b for b in page.blocks if REPORT[b.start:b.end].startswith("Digital ID"))
    headings = [REPORT[page.blocks[i].start:page.blocks[i].end] for i in item.headings]
    assert headings == ["Digital Mongolia 2024", "Key figures"]


def test_label_bullet_heads_the_items_after_it() -> None:
    page = layout(REPORT)
    item = next(b for b in page.blocks if REPORT[b.start:b.end].startswith("Mongolia invested"))
    headings = [REPORT[page.blocks[i].start:page.blocks[i].end] for i in item.headings]
    assert "**Targeted Investments:**" in headings


def test_hard_wrapped_paragraph_is_one_block() -> None:
    text = "Internet use in Tajikistan grew\nfrom 30% to 45% over the\nperiod.\n\nNext paragraph."
    assert _blocks(text) == [
        ("paragraph", "Internet use in Tajikistan grew\nfrom 30% to 45% over the\nperiod."),
        ("paragraph", "Next paragraph."),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_offsets_index_the_original_text(newline: str) -> None:
    text = REPORT.replace("\n", newline)
    for block in layout(text).blocks:
        for sentence in block.sentences:
            piece = text[sentence.start:sentence.end]
            assert piece == piece.strip() and piece
            assert block.start <= sentence.start < sentence.end <= block.end


def test_lead_in_line_heads_the_list_below_it() -> None:
    text = ("By 2030 the ministry aims to:\n1. connect 3,000 schools;\n2. train 50,000 teachers.\n\n"
            "Contact the press office for details.")
    blocks = layout(text).blocks
    assert [(b.kind, text[b.start:b.end]) for b in blocks] == [
        ("heading", "By 2030 the ministry aims to:"), ("item", "connect 3,000 schools;"),
        ("item", "train 50,000 teachers."), ("paragraph", "Contact the press office for details.")]
    assert blocks[1].headings == (0,) and blocks[3].headings == ()  # the paragraph after the list is free


def test_line_with_a_figure_above_a_list_is_not_a_lead_in() -> None:
    text = "The 2024 budget gives KZT 5 billion to:\n- schools\n- clinics"
    assert layout(text).blocks[0].kind == "paragraph"
