"""The content model: what a source, a position, a memo and an audience profile may hold.

Every model forbids unknown fields, so a misspelt key is an error rather than a silently
ignored line. The models double as the JSON Schema editors use for autocompletion.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
"""What an id may be. Memo and audience ids name output files (`output/MEMO/AUDIENCE.pdf`),
so an id holds nothing a path could use: no '.', '/', space, capital or control character."""
ID_MAX_LENGTH = 64
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=ID_PATTERN, max_length=ID_MAX_LENGTH),
]


def is_id(name: str) -> bool:
    """Whether `name` may be an id: the names of memos and audiences become output paths."""
    return len(name) <= ID_MAX_LENGTH and re.fullmatch(ID_PATTERN, name) is not None


def listed(**field: Any) -> Any:
    """A list field the YAML may leave out (empty then); `field` as for pydantic's Field:
    its description, alias, length limits."""
    return Field(default_factory=list, **field)


def _whole(value: object) -> bool:
    """Whether a value is a whole number as YAML gives one (true and false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors, values are checked as given."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Evidence(Strict):
    """A verbatim quotation from a source, which the build checks against the seed text."""

    source: Identifier = Field(description="id of a source in sources.yaml")
    quote: Text = Field(description="verbatim passage from the source's seed text")
    context: Text | None = Field(
        default=None,
        description="a reviewer's reason why this quotation is fair in context, silencing its "
        "context flags (W301-W306); start with codes ('W301: ...') to silence only those",
    )


class Switchable(Strict):
    """An item that can be limited to some audiences or withheld from some."""

    audiences: list[Identifier] | None = Field(
        default=None, description="show only to these audiences"
    )
    except_: list[Identifier] = listed(alias="except", description="withhold from these audiences")

    def shown_to(self, audience: str) -> bool:
        """Whether an audience sees this item."""
        if audience in self.except_:
            return False
        return self.audiences is None or audience in self.audiences


class Point(Switchable):
    """One argument in the author's own words, with the evidence that supports it."""

    text: Text = Field(description="the point, in your own words; inline markdown allowed")
    evidence: list[Evidence] = Field(min_length=1, description="at least one quotation")


class Position(Strict):
    """What one school of thought argues: an option the memo can put to a decision-maker."""

    title: Text = Field(description="short option title as it appears in the memo")
    summary: Text = Field(description="one line")
    thesis: Text = Field(description="two to four sentences")
    advocates: list[Identifier] = listed(
        description="ids of the sources that argue for this option"
    )
    recommendations: list[Point] = listed()
    pros: list[Point] = Field(min_length=1)
    cons: list[Point] = Field(min_length=1)
    conditions: list[Point] = listed()
    risks: list[Point] = listed()
    stances: dict[Identifier, Point] = Field(
        default_factory=dict, description="stance on each key question, by question id"
    )


_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Source(Strict):
    """A published text the positions quote, with the metadata its citation needs."""

    id: Identifier
    title: Text
    author: Text | None = Field(default=None, description="leave empty when not named")
    outlet: Text | None = None
    date: str | None = Field(
        default=None, description="YYYY, YYYY-MM or YYYY-MM-DD; leave empty when not known"
    )
    url: Text | None = None
    accessed: dt.date | None = Field(
        default=None, description="when the URL was read, YYYY-MM-DD; shown in the full reference"
    )
    short_title: Text | None = Field(
        default=None,
        description="the title as later notes give it; by default the title up to its first "
        "colon or parenthesis",
    )
    seed: Text = Field(description="file name of the source's text in seeds/")
    note: Text | None = Field(default=None, description="caveats about the metadata")

    @field_validator("date", mode="before")
    @classmethod
    def _partial_date(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value).strip()
        if not _PARTIAL_DATE.match(text):
            raise ValueError("write the date as YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty")
        parts = [int(part) for part in text.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise ValueError(f"{text} is not a real date") from None
        return text

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s]+$", value):
            raise ValueError("give a web address starting with https:// or http://")
        return value

    @field_validator("seed")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        if "/" in value or "\\" in value or value.startswith("."):
            raise ValueError("give a file name in seeds/, not a path")
        return value


class SourceList(Strict):
    """The content's `sources.yaml`."""

    sources: list[Source] = Field(min_length=1)


class Criterion(Strict):
    """A yardstick the options are compared on."""

    id: Identifier
    label: Text
    description: Text | None = None


class Question(Strict):
    """A key question on which the positions take stances; the memo tabulates where they differ."""

    id: Identifier
    label: Text


class Rating(StrEnum):
    """How an option serves a criterion; rendered with a symbol and a word, never colour alone."""

    ADVANCES = "advances"
    MIXED = "mixed"
    HARMS = "harms"
    UNCLEAR = "unclear"


class Assessment(Strict):
    """One cell of the options-by-criteria grid."""

    rating: Rating
    rationale: Text = Field(description="one line")


class MemoOption(Switchable):
    """An option as this memo presents it: a position and its assessment on each criterion."""

    position: Identifier
    assessment: dict[Identifier, Assessment]


class Judged(Strict):
    """What a memo may say on the office's own authority: verbatim quotations behind it, or
    `judgment: true`, said openly so that a reader always knows which it is."""

    evidence: list[Evidence] = listed(
        description="verbatim quotations behind it; none only with judgment: true",
    )
    judgment: bool = Field(
        default=False,
        description="true: the drafting office's own judgment (an oversight question, say), "
        "drawn from no source; the memo marks it",
    )


class Backed(Judged):
    """An item of a recommendation: a claim with its evidence, or the office's own judgment.

    Like every claim in a memo, an item either rests on verbatim quotations (checked against
    the seeds like any other) or is the drafting office's judgment; validate refuses one with
    neither or both (B230).
    """

    text: Text = Field(description="the item, in your own words; inline markdown allowed")

    def as_point(self) -> Point:
        """The item as a claim that notes cite, context checks read and the review lists."""
        return Point.model_construct(text=self.text, evidence=list(self.evidence))


class Action(Backed):
    """A first step that approval sets in motion: what, who does it, by when."""

    owner: Text = Field(description="the office or official who carries it out")
    due: dt.date | None = Field(default=None, description="by when, YYYY-MM-DD")


class Benchmark(Backed):
    """A condition that would change course: what to watch for and what would follow."""


class Resource(Backed):
    """A cost or resource the recommendation needs, where known."""


class Recommendation(Strict):
    """The drafting office's recommendation; a neutral memo has none."""

    option: Identifier = Field(description="id of the recommended position")
    text: Text
    decide_by: dt.date | None = None
    actions: list[Action] = listed(
        description="first steps approval sets in motion, each with an owner and a date",
    )
    benchmarks: list[Benchmark] = listed(description="conditions that would change course")
    resources: list[Resource] = listed(description="resources or costs, where known")

    def items(self) -> list[tuple[str, int, Backed]]:
        """Every item with its list's name and index: ("actions", 0, action), ..."""
        return [
            (name, index, item)
            for name in RECOMMENDATION_LISTS
            for index, item in enumerate(getattr(self, name))
        ]


RECOMMENDATION_LISTS = ("actions", "benchmarks", "resources")
"""The lists of items a recommendation may hold, in the order a memo shows them."""

Stance = Literal["concurs", "does not concur", "comments"]


class Coordination(Strict):
    """Where another office or agency stands on the recommendation."""

    office: Text = Field(description="office or agency consulted")
    stance: Stance = Field(description="concurs, does not concur, or comments")
    reason: Text | None = Field(default=None, description="one line: why, or what it asks")
    illustrative: bool = Field(
        default=False, description="true where the entry is an example, not a real position"
    )


ClearanceStatus = Literal["cleared", "cleared in substance", "pending", "info"]


class Clearance(Strict):
    """One clearance line: who cleared the memo, for which office, when, and how."""

    name: Text = Field(description="the clearing official")
    office: Text | None = Field(default=None, description="the official's office")
    date: dt.date | None = Field(default=None, description="when cleared, YYYY-MM-DD")
    status: ClearanceStatus = Field(
        default="cleared", description="cleared, cleared in substance, pending, or info (copy)"
    )
    illustrative: bool = Field(
        default=False, description="true where the name is an example, not a real clearance"
    )


class Attachment(Strict):
    """A document attached to the memo, listed at its end as a lettered tab."""

    title: Text = Field(description="e.g. Staff options memo; the tab letter is added")
    audience: Identifier | None = Field(
        default=None,
        description="the audience whose edition of this memo is attached, e.g. staff",
    )


class SetAside(Point):
    """An option the memo considered and does not put forward. It is a claim like any other
    (its evidence is verified, context-checked and quoted in the annex), so a reader can see
    that the coercive or permissive end of the range was weighed, not forgotten."""

    title: Text = Field(description="the option in a few words, e.g. Tighten sanctions")


class Analyst(Strict):
    """Who wrote a brief and how to reach them, as a congressional brief names its author.

    A profile may give the office's default; a memo's analyst overrides it field by field,
    so a memo can name its author and keep the office's contact line."""

    name: Text | None = Field(default=None, description="the author's name, or an office role")
    title: Text | None = Field(
        default=None, description="the author's title, e.g. Analyst in Middle East Affairs"
    )
    contact: Text | None = Field(
        default=None, description="how a reader reaches the author: an email address or telephone"
    )
    illustrative: bool = Field(
        default=False,
        description="true where the name, title or contact is a placeholder rather than a real "
        "person; the brief then marks the author line (illustrative)",
    )

    def over(self, base: Analyst | None) -> Analyst:
        """This analyst's fields where given, else the base's: the memo's over the profile's."""
        if base is None:
            return self
        given = self.model_dump(exclude_unset=True)
        return base.model_copy(update=given)


class KeyFact(Point):
    """A figure or fact for the key facts box of a brief: in the author's words, with at
    least one quotation from a source that states it (numbers included, verbatim)."""


class IssueForCongress(Judged, Point):
    """One matter a legislature may act on or ask about (an authority, an appropriation, a
    sanctions law, an oversight question), grouped under its topic in "Issues for Congress".

    Unlike most claims, an issue may be the office's own framing rather than a source's:
    then it says so (`judgment: true`) and needs no evidence; the brief marks it."""

    topic: Text = Field(
        description="the heading it stands under, e.g. Authorities, Appropriations, Sanctions, "
        "Oversight questions; issues of one topic are shown together, topics in the order "
        "they first appear"
    )


class Memo(Strict):
    """An options memo: the question, the options in order, and how they compare."""

    title: Text
    short_subject: Text = Field(description="a few words for the running header")
    subject: Text
    date: dt.date
    from_: Text = Field(alias="from")
    through: Text | None = None
    drafted_by: Text | None = None
    cleared_by: list[Text] = listed(
        description="deprecated: names only; write clearances (name, office, date, status)",
    )
    clearances: list[Clearance] = listed(
        description="cleared-by lines of the principal and staff memos"
    )
    coordination: list[Coordination] = listed(
        description="offices and agencies consulted, and where they stand"
    )
    attachments: list[Attachment] = listed(
        max_length=26,
        description="tabs listed at the end of the memo (Tab A, Tab B, ...)",
    )
    question: Text = Field(description="issue for decision: one sentence")
    bluf: Text = Field(description="bottom line up front: at most four lines")
    overview: Text | None = Field(
        default=None, description="a neutral summary, for audiences that get no recommendation"
    )
    methods: Text | None = Field(
        default=None, description="how the positions were summarised, for public readers"
    )
    background: list[Point] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)
    options: list[MemoOption] = Field(min_length=2)
    questions: list[Question] = listed(description="key questions for the disagreements table")
    recommendation: Recommendation | None = None
    not_recommended: list[SetAside] = listed(
        description="options considered and not put forward: each a title and, in the text, "
        "what it would do, who urges it and why it is set aside, with evidence like any claim",
    )
    analyst: Analyst | None = Field(
        default=None,
        description="the brief's author and contact; overrides the profile's analyst field by "
        "field (shown by templates that name an author, e.g. the congressional brief)",
    )
    key_facts: list[KeyFact] = listed(
        description="figures and facts for the key facts box (section key_facts), each with "
        "a quotation that states it",
    )
    issues_for_congress: list[IssueForCongress] = listed(
        description="authorities, appropriations, sanctions law, oversight questions (section "
        "issues_for_congress), each grouped under its topic",
    )


Section = Literal[
    "bluf",
    "overview",
    "question",
    "background",
    "key_facts",
    "options",
    "not_recommended",
    "grid",
    "issues_for_congress",
    "disagreements",
    "recommendation",
    "decision",
    "coordination",
    "attachments",
    "methods",
    "sources",
]


PointField = Literal["recommendations", "pros", "cons", "conditions", "risks"]
"""The lists of points a position holds (briefing.content.POINT_KINDS names them in order)."""

PointLimit = Annotated[int, Field(ge=1)]
KindLimit = Annotated[int, Field(ge=0)]

EvidenceMode = Literal["inline", "annex", "none"]
"""Where an audience reads the quotations behind each claim: under the claim (`inline`), in
an evidence annex at the end of the document (`annex`), or nowhere (`none`; claims still
cite their sources)."""

LEGACY_EVIDENCE: dict[bool, EvidenceMode] = {True: "annex", False: "none"}
"""What `evidence: true/false`, the form before the three modes, now means. `true` said "this
reader sees the quotations"; the quotations now live in the annex, where the body of the
memo cites them, so that is where an old profile shows them (`inline` keeps the old look)."""


class Show(Strict):
    """Which details of each option an audience sees."""

    thesis: bool = True
    recommendations: bool = True
    pros: bool = True
    cons: bool = True
    conditions: bool = True
    risks: bool = True
    evidence: EvidenceMode = Field(
        default="annex",
        description="where the quotations behind each claim are shown: inline (under the "
        "claim), annex (in an evidence annex at the end) or none; claims cite their sources "
        "in every case",
    )
    grid_rationale: bool = True
    max_points: PointLimit | dict[PointField, KindLimit] | None = Field(
        default=None,
        description="show at most this many pros/cons/... per option: one number for every "
        "kind, or a number per kind (0: none); with evidence in an annex this limits the "
        "body, and the annex lists the other points with their quotations",
    )

    @field_validator("max_points", mode="before")
    @classmethod
    def _one_limit_or_one_per_kind(cls, value: object) -> object:
        """Check the two forms here, so a mistake in either is one error, not one per form."""
        if value is None:
            return None
        if isinstance(value, dict):
            kinds = get_args(PointField)
            for kind, most in value.items():
                if kind not in kinds:
                    close = difflib.get_close_matches(str(kind), kinds, n=1)
                    hint = f"did you mean '{close[0]}'?" if close else f"kinds: {', '.join(kinds)}"
                    raise ValueError(f"'{kind}' is not a kind of point; {hint}")
                if not _whole(most) or most < 0:
                    raise ValueError(f"give {kind} a whole number, 0 or more")
            return value
        if not _whole(value) or value < 1:  # type: ignore[operator]
            raise ValueError(
                "give a whole number, 1 or more, or a number per kind, e.g. {pros: 2, risks: 0}"
            )
        return value

    def most(self, kind: str) -> int | None:
        """How many points of a kind the body shows at most; None for all."""
        if isinstance(self.max_points, dict):
            return next((most for k, most in self.max_points.items() if k == kind), None)
        return self.max_points

    @field_validator("evidence", mode="before")
    @classmethod
    def _legacy_evidence(cls, value: object) -> object:
        """Read `true`/`false` as written before the three modes (validate warns, W201)."""
        return LEGACY_EVIDENCE[value] if isinstance(value, bool) else value


LimitedText = Literal["bluf", "question"]
"""The texts whose rendered length a profile may limit (`line_limits`)."""
LineLimit = Annotated[int, Field(ge=1)]

_DOCX_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.docx$")
_NAME_MAX = 255
"""The longest file or folder name the systems a project is built on accept (in bytes; a
template name is ASCII): a longer one is refused at its line, not when the build looks it up."""


def _short_names(value: str | None) -> str | None:
    """A name in a templates folder whose every part the file system can hold: refused at
    the profile's line, not as a crash when the build looks it up."""
    if value is not None and max(len(part) for part in value.split("/")) > _NAME_MAX:
        raise ValueError(
            f"a file or folder name in a templates folder has at most {_NAME_MAX} "
            "characters; shorten the name"
        )
    return value


Form = Literal["memo", "brief", "publication"]
"""How a document opens and closes, which the templates lay out (base.html.j2)."""


def form_unsaid(template: str, *, has_analyst: bool) -> tuple[Form, str]:
    """The form of a profile that does not say it, and why: as the templates gave it before
    profiles said their form."""
    if has_analyst:
        return "brief", "it names an analyst"
    if template.rsplit("/", 1)[-1] == "public.html.j2":
        return "publication", "it uses public.html.j2"
    return "memo", "the default"


class Audience(Strict):
    """An audience profile: which template, what is shown, in what order, with which markings."""

    label: Text
    description: Text | None = None
    template: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.j2$")] = (
        Field(description="template file in a templates folder, e.g. principal.html.j2")
    )
    form: Form | None = Field(
        default=None,
        description="how the document opens and closes: memo (FROM, SUBJECT, DATE; drafting "
        "and cleared-by lines), brief (a title block naming the analyst; no drafting lines) "
        "or publication (title, subtitle and byline; no memo voice)",
    )
    memo_type: Text = Field(description="e.g. DECISION MEMO, INFORMATION MEMO")
    addressee: Text | None = Field(default=None, description="e.g. THE SECRETARY")
    marking: Text | None = Field(default=None, description="banner at top and bottom of pages")
    handling: Text | None = Field(default=None, description="e.g. PRE-DECISIONAL//DELIBERATIVE")
    portion_mark: Text | None = Field(
        default=None, description="portion mark before each paragraph, e.g. (SBU)"
    )
    from_: Text | None = Field(default=None, alias="from", description="overrides the memo's")
    through: Text | None = Field(default=None, description="overrides the memo's")
    page_budget: int | None = Field(default=None, ge=1)
    paper: Literal["letter", "A4"] = "letter"
    font_size: float = Field(default=12, ge=8, le=16, description="body size in points")
    theme: Identifier = Field(default="default", description="stylesheet assets/themes/NAME.css")
    pdf_standard: Literal["pdf/ua-1", "pdf/a-3b"] = Field(
        default="pdf/ua-1",
        description="tagged PDF/UA-1 for accessibility, or PDF/A-3b for archiving (also tagged)",
    )
    docx_template: str | None = Field(
        default=None,
        description="Word reference template (.docx) in a templates folder whose styles the "
        "DOCX uses, e.g. office.docx",
    )
    sections: list[Section] = Field(min_length=1)
    decision_lines: list[Text] | None = Field(
        default=None,
        min_length=2,
        description="the decision lines under a recommendation: approve, disapprove, and the "
        "last one for any other answer, e.g. [Approve, Disapprove, Discuss]; the "
        "phrasebook's ([decision] in phrases.toml) if not given",
    )
    line_limits: dict[LimitedText, LineLimit] = Field(
        default_factory=dict,
        description="most lines the BLUF and the issue for decision may take in the laid-out "
        "PDF, e.g. {bluf: 4, question: 2}; more is a warning (W202), an error with --strict",
    )
    show: Show = Field(default_factory=Show)
    analyst: Analyst | None = Field(
        default=None,
        description="the office's default author and contact for briefs in this form; a "
        "memo's analyst overrides it field by field",
    )
    annex_title: Text | None = Field(
        default=None,
        description="heading of the evidence annex, where `show: {evidence: annex}`; the "
        "phrasebook's ([annex] title in phrases.toml) if not given",
    )

    @property
    def document_form(self) -> Form:
        """The profile's `form`; a profile written before `form:` existed gets the form its
        template and analyst gave it then (a brief where it names an analyst, a publication
        where it uses the public template), with a warning (W204) to say it."""
        if self.form is not None:
            return self.form
        return form_unsaid(self.template, has_analyst=self.analyst is not None)[0]

    @field_validator("sections")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        repeated = sorted({s for s in value if value.count(s) > 1})
        if repeated:
            raise ValueError(f"each section may appear once; repeated: {', '.join(repeated)}")
        return value

    @field_validator("docx_template")
    @classmethod
    def _word_template(cls, value: str | None) -> str | None:
        if value is not None and (not _DOCX_NAME.match(value) or ".." in value.split("/")):
            raise ValueError(
                "name a .docx file in a templates folder, relative to it (letters, digits, "
                "'_', '-', '.' and '/'), without '..', e.g. office.docx"
            )
        return _short_names(value)

    @field_validator("template")
    @classmethod
    def _inside_templates(cls, value: str | None) -> str | None:
        if value is not None and ".." in value.split("/"):
            raise ValueError("name a template inside a templates folder, without '..'")
        return _short_names(value)


class Settings(Strict):
    """Project settings, in `briefing.yaml` beside the content folder."""

    templates: Text | None = Field(
        default=None, description="folder of template overrides, relative to the project"
    )
