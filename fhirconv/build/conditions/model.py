"""The record a Condition is built in (``_Cond``) and the readings of it every stage shares: a mention's
verificationStatus, a tumour's merge key by site, its histology family (carcinoma, lymphoid / haematopoietic,
other), the document's primary cancer, and the CIM-10 display of a code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...document import Mention
from ..common import BuildContext

_GENERIC_MORPH = {"8000", "8001", "8010"}
_HAEMATOLOGICAL_FIRST = 9590  # ICD-O-3: 9590-9999 are lymphoid and haematopoietic neoplasms
_CARCINOMA = (8010, 8589)  # ICD-O-3: epithelial neoplasms (carcinomas, adenocarcinomas)
# findings.csv courses of the words that may name the report's tumour again ("la lésion", "une masse du sein")
_ANAPHORS = ("anaphor", "evidence")
_RANK = {"confirmed": 3, "provisional": 2, "differential": 1, "refuted": 0}


# init=False: the __init__ below is written out, so that the compiled build (setup.py) compiles it; the one dataclass
# writes is interpreted Python (~9,000 instructions a record, with its default factories), and a report builds a few
# dozen records. Callers give the first seven fields; the others start at their defaults and are set by the stages.
@dataclass(init=False)
class _Cond:
    mentions: list[Mention]
    key: str
    text: str
    cim10: tuple[str, str] | None = None  # (code, display)
    snomed: tuple[str, str] | None = None
    morph: tuple[str, str] | None = None
    site: tuple[str, str] | None = None  # ICD-O-3 topography
    verification: str = "confirmed"
    clinical: str = "active"
    onset: Any = None
    abatement: Any = None
    episodic: bool = False  # assertions.yaml ``episodic``: its episodes end
    nodal: bool = False  # an unsited metastasis in a sentence about lymph nodes: not adopted by an organ's one
    nodal_code: str | None = None  # that lymph node's secondary CIM-10 code (C77.x), given when the resource is written
    # what each mention says of the course, in text order after sorting: (offset, course or None, date of the
    # course statement in its own sentence, date of the mention)
    courses: list[tuple[int, str | None, Any, Any]] = field(default_factory=list)
    primary: _Cond | None = None
    stage_refs: list[dict[str, Any]] = field(default_factory=list)
    resource: dict[str, Any] | None = None
    name_end: int = 0  # end of the words read as its name past a site ("tumeur testiculaire germinale")
    spread: tuple[int, int] | None = None  # "métastatique" calling this primary cancer metastatic (its metastases)
    host: _Cond | None = None  # the cancer whose metastases "métastatique" says these are (_spread)
    recurs: _Cond | None = None  # the cancer this recurrence is of (its histology: the edition of its words)
    status_evidence: list[Mention] = field(default_factory=list)  # "Rémission complète en juin 2012."
    verification_evidence: list[Mention] = field(default_factory=list)  # "... a conclu à une tumeur fibreuse"
    not_metastatic: bool = False  # a finding said "non métastatique" (_metastatic_heads): not the cancer's spread

    def __init__(
        self,
        mentions: list[Mention],
        key: str,
        text: str,
        cim10: tuple[str, str] | None = None,
        snomed: tuple[str, str] | None = None,
        morph: tuple[str, str] | None = None,
        site: tuple[str, str] | None = None,
    ) -> None:
        self.mentions = mentions
        self.key = key
        self.text = text
        self.cim10 = cim10
        self.snomed = snomed
        self.morph = morph
        self.site = site
        self.verification = "confirmed"
        self.clinical = "active"
        self.onset = None
        self.abatement = None
        self.episodic = False
        self.nodal = False
        self.nodal_code = None
        self.courses = []
        self.primary = None
        self.stage_refs = []
        self.resource = None
        self.name_end = 0
        self.spread = None
        self.host = None
        self.recurs = None
        self.status_evidence = []
        self.verification_evidence = []
        self.not_metastatic = False


def _verification(m: Mention) -> str:
    q = m.qualifiers
    if "exclusion" in q or "negation" in q:
        return "refuted"
    if "differential" in q:
        return "differential"
    if "hypothesis" in q:
        return "provisional"
    return "confirmed"


def _site_key(icdo3: str) -> str:
    """The site part of a tumour's merge key: the organ (ICD-O-3 3-character category), but a lymph node group by
    its region (C77.1 mediastinal, C77.2 abdominal ...): nodal metastases of two regions are two Conditions, and
    every reading of one adenopathy ("adénopathies ... métastatiques", a nodal site of a recurrence) meets there."""
    return icdo3 if icdo3.startswith("C77") else icdo3[:3]


def _subsite_code(code: str) -> bool:
    """A CIM-10 code that names a sub-site of its organ (C44.4, C34.1): not the organ "sans précision" (.9) nor a
    lesion overlapping its sub-sites (.8, "lésion à localisations contiguës")."""
    return code[-2:] not in (".8", ".9")


def _spread_morph(code: str) -> bool:
    """A morphology that is the spread of the report's primary: behaviour /6 (metastatic), or /9 (uncertain whether
    primary or metastatic) on a generic histology ("carcinose" 8010/9)."""
    return code.endswith("/6") or (code.endswith("/9") and code[:4] in _GENERIC_MORPH)


def _primary(ctx: BuildContext, conds: list[_Cond]) -> _Cond | None:
    """The document's primary cancer: the first confirmed malignant tumour with a histology ("carcinome
    microcytaire"), else the first confirmed malignant one ("cellules malignes", "cancer"). Not a histology that
    almost never metastasises (tumours.yaml ``local_histologies``: a basal cell carcinoma) when the report has another
    named cancer: the metastases are that cancer's ("antécédent de carcinome basocellulaire" ... "carcinome
    épidermoïde ... métastase ganglionnaire")."""
    malignant = [c for c in conds if c.morph and c.morph[0].endswith("/3") and c.verification == "confirmed"]
    named = [c for c in malignant if c.morph and c.morph[0][:4] not in _GENERIC_MORPH]
    spreading = (c for c in named if c.morph and not c.morph[0].startswith(ctx.mappings.local_histologies))
    return next(spreading, None) or next(iter(named), None) or next(iter(malignant), None)


def _cim10_display(ctx: BuildContext, code: str) -> str:
    # every CIM-10 code of the curated tables is checked at load to be in cim10.csv
    return ctx.mappings.cim10_labels.get(code, code)


def _family_of(c: _Cond) -> str:
    """The broad family of a tumour's histology: carcinoma (ICD-O-3 8010-8589), lymphoid / haematopoietic, other
    (sarcoma, melanoma, germ cell ...); "" for a generic or missing one."""
    if not c.morph or c.morph[0][:4] in _GENERIC_MORPH or not c.morph[0][:4].isdigit():
        return ""
    n = int(c.morph[0][:4])
    return "carcinoma" if _CARCINOMA[0] <= n <= _CARCINOMA[1] else "haem" if _haematological(c) else "other"


def _haematological(c: _Cond) -> bool:
    """A lymphoid or haematopoietic neoplasm (ICD-O-3 morphology 9590-9999): lymphoma, leukaemia, myeloma."""
    return bool(c.morph and c.morph[0][:4].isdigit() and int(c.morph[0][:4]) >= _HAEMATOLOGICAL_FIRST)
