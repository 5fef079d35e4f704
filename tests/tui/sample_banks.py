"""Banks built from the model classes for the TUI tests: every item type, and a trap bank.

Kept in Python (not YAML) so the TUI tests do not depend on the loader. Content
is short and follows MEDICAL_REFERENCE.md; it exists to exercise widgets.
"""

from __future__ import annotations

from immunoquiz.banks.model import (
    Bank,
    Blank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    Source,
    TrueFalseItem,
)

SINGLE = SingleItem(
    id="pd1-where",
    prompt="On which cell is the PD-1 receptor mainly expressed?",
    options=(
        Option("Activated T cells", True, "PD-1 is an inhibitory receptor on activated T cells."),
        Option("Tumour cells", False, "Tumour cells often express its ligand, PD-L1."),
        Option("Red blood cells", False, "Red cells play no part in the checkpoint."),
        Option("Platelets", False),
    ),
    explanation="Anti-PD-1 antibodies block the receptor on the T cell.",
    sources=("s15",),
    step="recognize-cues",
)

MULTIPLE = MultipleItem(
    id="anti-pd1-drugs",
    prompt="Which drugs block PD-1? Select all that apply.",
    options=(
        Option("Pembrolizumab", True, "Anti-PD-1."),
        Option("Nivolumab", True, "Anti-PD-1."),
        Option("Atezolizumab", False, "Anti-PD-L1: it blocks the ligand."),
        Option("Ipilimumab", False, "Anti-CTLA-4."),
    ),
    explanation="Pembrolizumab and nivolumab target PD-1 itself.",
    sources=("s16",),
    step="analyze-cues",
)

SELECT_N = MultipleItem(
    id="pdl1-drugs",
    prompt="Select 2 anti-PD-L1 antibodies.",
    options=(
        Option("Atezolizumab", True),
        Option("Durvalumab", True),
        Option("Pembrolizumab", False, "Anti-PD-1."),
        Option("Tremelimumab", False, "Anti-CTLA-4."),
    ),
    explanation="Atezolizumab, durvalumab and avelumab block PD-L1.",
    scoring="zero_one",
    choose=2,
    sources=("s16",),
)

TRUE_FALSE = TrueFalseItem(
    id="tnbc-her2",
    statement="Trastuzumab has a role in triple-negative breast cancer.",
    answer=False,
    explanation="TNBC is HER2-negative, so HER2-targeted therapy has no role.",
    sources=("s17",),
)

CLOZE = ClozeItem(
    id="cps-cutoff",
    text="Pembrolizumab uses the {{CPS|combined positive score}} with {{22C3}} pharmDx.",
    segments=("Pembrolizumab uses the ", " with ", " pharmDx."),
    blanks=(
        Blank(("CPS", "combined positive score")),
        Blank(("22C3",), ("22C3", "SP142", "SP263")),
    ),
    explanation="CPS >= 10 counts as positive in metastatic TNBC with the 22C3 assay.",
    sources=("s7",),
    shuffle=False,
)

ORDER = OrderItem(
    id="kn522-sequence",
    prompt="Put the KEYNOTE-522 regimen in order.",
    items=(
        "Pembrolizumab + paclitaxel/carboplatin",
        "Pembrolizumab + anthracycline/cyclophosphamide",
        "Surgery",
        "Adjuvant pembrolizumab",
    ),
    explanation="Neoadjuvant chemo-immunotherapy, surgery, then adjuvant pembrolizumab.",
    sources=("s1",),
    step="generate-solutions",
)

MATCH = MatchItem(
    id="drug-target",
    prompt="Match each drug to its target.",
    rows=("Pembrolizumab", "Atezolizumab", "Ipilimumab"),
    columns=("PD-1", "PD-L1", "CTLA-4"),
    answer=(0, 1, 2),
    explanation="Targets as listed on the reference sheet.",
    sources=("s16",),
    shuffle=False,
)

BOWTIE = BowtieItem(
    id="colitis-bowtie",
    prompt="A patient on pembrolizumab has 6 loose stools a day over baseline and cramps.",
    conditions=(
        Option("Immune-related colitis", True, "Diarrhoea with cramps on an ICI."),
        Option("Viral gastroenteritis", False),
        Option("Lactose intolerance", False),
    ),
    actions=(
        Option("Hold the checkpoint inhibitor", True),
        Option("Start corticosteroids as ordered", True),
        Option("Give loperamide and continue", False, "Masks a serious irAE."),
    ),
    parameters=(
        Option("Stool frequency", True),
        Option("Abdominal pain and blood in stool", True),
        Option("Blood glucose only", False),
    ),
    explanation="Grade 2-3 colitis: hold the ICI, steroids, and watch stools and pain.",
    sources=("s23",),
    step="take-action",
    shuffle=False,
)

CASE = CaseItem(
    id="colitis-case",
    vignette="A 52-year-old on pembrolizumab reports 5 loose stools a day above her baseline.",
    explanation="Grade 2 diarrhoea (4-6 stools/day over baseline) needs ICI held and assessment.",
    sources=("s23",),
    parts=(
        SingleItem(
            id="grade",
            prompt="What CTCAE grade is this diarrhoea?",
            options=(Option("Grade 1"), Option("Grade 2", True), Option("Grade 3")),
            explanation="4-6 stools a day over baseline is grade 2.",
            step="analyze-cues",
            shuffle=False,
        ),
        TrueFalseItem(
            id="continue",
            statement="The next dose of pembrolizumab can be given as planned.",
            answer=False,
            explanation="Hold the ICI for grade 2 diarrhoea.",
            update="Two days later she has 8 stools a day and abdominal pain.",
            step="take-action",
        ),
    ),
)

SOURCES = (
    Source(
        "s1",
        "Schmid P et al. N Engl J Med 2020;382:810-821",
        "https://doi.org/10.1056/NEJMoa1910549",
    ),
    Source("s7", "FDA. 22C3 pharmDx approval, 13 Nov 2020"),
    Source("s15", "Pardoll DM. Nat Rev Cancer 2012;12:252-264"),
    Source("s16", "Drug labels: pembrolizumab, nivolumab, atezolizumab, ipilimumab"),
    Source("s17", "Reference sheet section 2: TNBC"),
    Source("s23", "Brahmer JR et al. J Clin Oncol 2018;36:1714-1768"),
)

ALL_ITEMS = (SINGLE, MULTIPLE, SELECT_N, TRUE_FALSE, CLOZE, ORDER, MATCH, BOWTIE, CASE)


def every_type_bank() -> Bank:
    return Bank(
        id="every-type",
        title="Every item type",
        topic="checkpoints",
        questions=ALL_ITEMS,
        sources=SOURCES,
    )


def small_bank(bank_id: str = "adverse", topic: str = "adverse-events") -> Bank:
    return Bank(
        id=bank_id,
        title="Adverse events basics",
        topic=topic,
        questions=(SINGLE, TRUE_FALSE),
        sources=SOURCES,
    )


TRAP = "[/] [B]x [$accent] [link=https://example.org]click[/link] [bold]b $var {x}"


def markup_trap_bank() -> Bank:
    """Every text a bank can hold, each one a markup trap that must show literally."""
    return Bank(
        id="trap",
        title=f"Trap bank {TRAP}",
        topic="checkpoints",
        description=TRAP,
        sources=(Source("t1", f"Cite {TRAP}", "https://example.org/[/]"),),
        questions=(
            SingleItem(
                id="trap-single",
                prompt=f"Prompt {TRAP}",
                options=(
                    Option(f"Right {TRAP}", True, f"Why right {TRAP}"),
                    Option(f"Wrong {TRAP}", False, f"Why wrong {TRAP}"),
                ),
                explanation=f"Explanation {TRAP}",
                sources=("t1",),
                shuffle=False,
            ),
            CaseItem(
                id="trap-case",
                vignette=f"Vignette {TRAP}",
                explanation=f"Case explanation {TRAP}",
                sources=("t1",),
                parts=(
                    ClozeItem(
                        id="p1",
                        text="Blank {{[/]}} here",
                        segments=(f"Blank {TRAP} ", " here"),
                        blanks=(Blank(("[/]",), ("[/]", "[B]x", "[$accent]")),),
                        explanation=f"Part explanation {TRAP}",
                        shuffle=False,
                    ),
                    MatchItem(
                        id="p2",
                        prompt=f"Match {TRAP}",
                        rows=(f"Row {TRAP}",),
                        columns=("[B]x", "[/]"),
                        answer=(0,),
                        explanation="Match explanation [/]",
                        update=f"Update {TRAP}",
                        shuffle=False,
                    ),
                ),
            ),
        ),
    )
