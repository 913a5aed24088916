"""Conditions (diseases, tumours, metastases) and FamilyMemberHistory from condition / morphology mentions.

Policy (documented in README "Assertions"):
- a diagnosis the text says was ruled out (exclusion cue) or a disease or sign it says is absent ("pas
  d'hépatomégalie", "sans signe de récidive") -> Condition with verificationStatus ``refuted`` and clinicalStatus
  ``inactive``: never asserted, and the negative finding is kept (it matters for staging: "absence de métastases");
  a negated relative's disease is dropped (FamilyMemberHistory cannot state an absence);
- hypothesis -> ``provisional``, differential -> ``differential``;
- a relative's disease -> FamilyMemberHistory, never a Condition of the patient;
- clinicalStatus (``_clinical_status``): the course the last mention states. A resolution cue ("disparition de",
  "guérie") -> ``resolved`` (a cancer: ``remission``); remission cue -> ``remission``; recurrence cue ->
  ``recurrence``; a past or treated disease ("antécédent de", "avait présenté", "opéré d'une hernie") ->
  ``resolved`` only for a disease whose episodes end (assertions.yaml ``episodic``) or one treated (not a cancer:
  conservative); a cancer named again after it ended is active again. An episodic disease with no such cue is
  resolved when it is dated a year or more before the report's last date, or a recovery statement follows it.
- mentions of one disease (same code) merge into one Condition citing every mention; its verification is the
  strongest asserted one (confirmed > provisional > differential > refuted).
A tumour is a morphology mention (ICD-O-3) plus the body site written right after it ("de l'iléon", "gastrique");
the site gives the CIM-10 code (primary or, for behaviour /6, secondary). A histology written without its site
takes the one of the report's generic tumour of one organ ("tumeur du sein" ... "carcinome canalaire infiltrant"),
and an organ's code "sans précision" the one sub-site the report names for it ("quadrant supéro-externe"). Two
histology families (carcinoma, sarcoma ...) at one organ are two cancers. A metastasis takes the histology of the
document's primary tumour and links to it (mCODE related-primary extension).
"""

from __future__ import annotations

from typing import Any

from ... import fhirspec as F
from ...document import Mention
from ..common import BuildContext, ByStart, match_starts, may_start
from .anaphora import _fold_bare_heads, _fold_glossed
from .diabetes import typed_diabetes_complications
from .family_anaphora import anaphoric_family, coordinated_family
from .findings import _fold_findings
from .merging import _fold_episodes, _fold_unspecified, _merge
from .model import _GENERIC_MORPH, _Cond, _primary, _spread_morph, _verification
from .nodal import _node_region
from .onset import seen_again_onset
from .reading import (
    _finding,
    _germ_unfound,
    _inside_anatomy,
    _node_group,
    _ordinary_word,
    _positive_test,
    _refine,
    _stain_marker,
    _test_of,
)
from .report import _ruled_out, _site_beside, _site_from_report, _subsite
from .resource import _family, _resource
from .site_words import _cite_site_words
from .status import _clinical_status, _course, _episodic, range_end
from .tumours import _coordinated, _metastatic_heads, _spread, _tumour

__all__ = ["build_conditions"]

_BOARD_WINDOW = 80  # characters before a disease word where a board's name may start ("comité des ...")
_MEASURE_WINDOW = 30  # characters before an abbreviation where a measure's word may start ("valeurs d'")


def build_conditions(ctx: BuildContext) -> list[dict[str, Any]]:
    """Build Condition and FamilyMemberHistory resources; return the patient's Conditions (for stage linking)."""
    sites = ctx.sites
    tumour_spans = {(o.start, o.end) for o in ctx.mentions if o.kind == "morphology"}
    nodes = ByStart(
        [
            m
            for m in ctx.mentions
            if m.kind == "lymph_node" or (m.kind == "topography" and m.row.icdo3.startswith("C77"))
        ]
    )
    longest_node = max((n.end - n.start for n in nodes.mentions), default=0)
    conds: list[_Cond] = []
    family: list[tuple[Mention, Mention | None]] = []
    tumours: list[tuple[_Cond, Mention]] = []
    recurrences = [(m.start, m.end) for m in ctx.mentions if m.kind == "finding" and m.row.course == "recurrence"]
    name_end = 0  # tumour words inside a name already read ("... à petites cellules rondes") are that name
    board = ctx.mappings.phrases["board"]
    # most windows before a disease word have no board's name
    board_starts = match_starts(ctx.mappings, "board", ctx.text)
    for m in ctx.mentions:
        if m.kind == "morphology" and m.end <= name_end:
            continue
        if m.kind == "symptom":
            ctx.dropped.append((m, "symptom: recognised, not a diagnosis"))
            continue
        if m.kind == "observation" and (c := _positive_test(ctx, m)) is not None:
            c.verification, c.onset, c.courses = _verification(m), m.date, [_course(ctx, m, recurrences)]
            c.episodic = _episodic(ctx, c)
            conds.append(c)
            continue
        if m.kind not in ("condition", "finding", "morphology") or "alias_of" in m.attrs:
            continue
        lo = max(0, m.start - _BOARD_WINDOW)
        if may_start(board_starts, lo, m.start) and board.search(ctx.text, lo, m.start):
            ctx.dropped.append((m, "names a board or a unit (phrases.yaml board), not the patient's disease"))
            continue
        if m.text.isupper() and ctx.mappings.phrases["measure_name"].search(
            ctx.text, max(0, m.start - _MEASURE_WINDOW), m.start
        ):
            ctx.dropped.append((m, "names an imaging map or measure (phrases.yaml measure_name), not a disease"))
            continue
        if m.text.isupper() and _stain_marker(ctx, m):
            ctx.dropped.append((m, "a marker of an immunostain list (phrases.yaml stain_result), not a disease"))
            continue
        # (findings too: "corps étranger" is a finding's head, and the type of a giant cell)
        if m.kind in ("condition", "finding") and _ordinary_word(ctx, m):
            ctx.dropped.append((m, "an ordinary noun here (phrases.yaml ordinary_word), not a disease"))
            continue
        if m.kind in ("condition", "finding") and _inside_anatomy(m, sites):
            ctx.dropped.append((m, "part of an anatomical name (topography.csv), not a disease"))
            continue
        if m.kind == "condition" and _test_of(ctx, m):
            ctx.dropped.append((m, "a pathogen a serology or a vaccine is for (phrases.yaml test_of), not a disease"))
            continue
        if m.kind == "condition" and _germ_unfound(ctx, m):
            ctx.dropped.append((m, "a germ no test found in its sentence (phrases.yaml germ_found), not an infection"))
            continue
        if m.kind == "condition" and (m.start, m.end) in tumour_spans:
            continue  # same words in both tables: built once, as a tumour (the condition row gives its CIM-10)
        ver = _verification(m)
        if ver == "refuted" and m.kind == "morphology" and ctx.mappings.phrases["sample_cells"].fullmatch(m.text):
            ctx.dropped.append(
                (m, "a sample free of tumour cells (phrases.yaml sample_cells): a result, not a disease")
            )
            continue
        if "family" in m.qualifiers:
            if ver == "refuted":  # "pas d'antécédents familiaux de cancer": FamilyMemberHistory cannot say "absent"
                ctx.dropped.append((m, "negated family history"))
            elif m.kind == "finding" and _finding(ctx, m, sites) is None:
                # a relative's finding needs its modifiers as the patient's does ("sa mère est atteinte d'une ...")
                ctx.dropped.append((m, "finding head without the modifier it needs (findings.csv complement=required)"))
            else:
                family.append((m, m.attrs.get("relative")))
            continue
        if m.kind == "finding":
            c = _finding(ctx, m, sites)
            if c is None:
                ctx.dropped.append((m, "finding head without the modifier it needs (findings.csv complement=required)"))
                continue
            c.mentions += m.attrs.get("aliases", [])  # "décollement de la rétine (DR)": its abbreviation's uses
        elif m.kind == "condition":
            row = m.row
            m = _refine(ctx, m, row.cim10)
            code, display = m.attrs.get("refined") or (row.cim10, row.display)
            # the row's SNOMED CT concept still holds for a subdivision of its category, not for another category
            # ("alcoolisme occasionnel": F10.2 -> Z72.1 is no longer alcoholism)
            same = code[:3] == row.cim10[:3]
            c = _Cond(
                [m, *m.attrs.get("aliases", [])],
                f"cim10:{code}",
                m.text,
                (code, display),
                (row.snomed, row.snomed_display) if row.snomed and same else None,
            )
            if row.cim10.startswith("R59") and row.cim10 != "R59.1":
                _node_group(ctx, c, m, nodes, longest_node)
        else:
            c = _tumour(ctx, m, sites, tumours)
            if c is None:
                continue
            name_end = max(name_end, c.name_end)
        c.verification, c.onset = ver, m.date
        end_cue = m.qualifiers.get("resolved") or m.qualifiers.get("remission")
        if end_cue is not None and m.date is not None and m.date.start >= end_cue.end and not range_end(m):
            c.onset = None  # "tabagisme sevré en 2005", "guérie en mars 2012": the date is when it ended
        c.courses = [_course(ctx, m, recurrences)]
        c.episodic = _episodic(ctx, c)
        conds.append(c)
        spread = _spread(ctx, m, c, sites) if c.spread is not None else None
        if spread is not None:
            spread.verification, spread.onset, spread.courses = ver, m.date, list(c.courses)
            conds.append(spread)
        # each site coordinated with the tumour's or its spread's is one more ("métastatique au foie et aux poumons")
        for base in (c, spread) if spread is not None else (c,):
            for other in _coordinated(ctx, base, sites, ver == "refuted"):
                other.verification, other.onset, other.courses = ver, m.date, list(c.courses)
                other.episodic = c.episodic
                conds.append(other)
    conds = _metastatic_heads(ctx, conds)
    _node_region(ctx, conds, nodes)
    beside = _site_beside(ctx, conds)
    _subsite(ctx, conds, sites, [*beside, *_site_from_report(ctx, conds)])
    p = _primary(ctx, conds)
    for c in conds:
        if c.host is not None and c.host.morph is not None and c.host.morph[0][:4] in _GENERIC_MORPH:
            c.host = None  # "cancer du sein métastatique": the histology the report names for its primary, if any
        if c.host is not None:
            c.primary = c.host
        # a generic morphology of behaviour /9, "uncertain whether primary or metastatic" ("carcinose péritonéale"
        # 8010/9, CIM-10 C78.6), is the named primary's spread as "métastases" (8000/6) are: linked to it. It keeps
        # its own code, the one FRACCO and CANTEMIST annotators give it next to a named primary (recoding it with the
        # primary's histology /6 cost 1.8 points of FRACCO morphology codes and 2.1 of CANTEMIST's)
        elif c.morph and _spread_morph(c.morph[0]) and p is not None:
            c.primary = p
            if c.morph[0].split("/")[0] in _GENERIC_MORPH and not c.morph[0].endswith("/9"):
                c.morph = (p.morph[0].split("/")[0] + "/6", p.morph[1]) if p.morph else c.morph
    merged = _fold_unspecified(_merge(ctx, _fold_findings(ctx, _merge(ctx, conds))))
    merged = _fold_bare_heads(ctx, _fold_episodes(ctx, merged))
    merged = _fold_glossed(ctx, merged)
    _ruled_out(ctx, merged)
    typed_diabetes_complications(ctx, merged)
    seen_again_onset(ctx, merged)
    present = max(ctx.dates, key=lambda d: (d.year, d.month or 0, d.day or 0), default=None)
    recovery: list[int] | None = None
    for c in merged:
        if recovery is None and c.episodic:  # one pass of the recovery cues, only when it can matter
            recovery = [m.start() for p, _ in ctx.mappings.recovery for m in p.finditer(ctx.text)]
        c.clinical, c.abatement = _clinical_status(ctx, c, present, recovery or [])
    _cite_site_words(merged, sites)
    out = [_resource(ctx, c) for c in merged]
    final_primary = _primary(ctx, merged)
    for c in merged:
        # the metastases "métastatique" gives a cancer are that cancer's, else the document's primary's
        target = c.host if c.host is not None and c.host.resource is not None else final_primary
        if c.primary is not None and target is not None and target.resource is not None and c.resource is not None:
            c.resource["extension"].append({"url": F.RELATED_PRIMARY, "valueReference": ctx.ref(target.resource)})
    # one FamilyMemberHistory per relative named (the same words); each disease of an unnamed relative its own
    by_relative: dict[object, tuple[list[Mention], Mention | None]] = {}
    anaphoric = [*coordinated_family(ctx, family), *anaphoric_family(ctx, family)]
    for m, rel in [*family, *anaphoric]:
        by_relative.setdefault((rel.start, rel.end) if rel is not None else id(m), ([], rel))[0].append(m)
    given = {(rel.start, rel.end) for _, rel in anaphoric}
    for key, (diseases, rel) in by_relative.items():
        _family(ctx, diseases, rel, sites, f"/{rel.start}" if rel is not None and key in given else "")
    ctx.conditions = merged
    return out
