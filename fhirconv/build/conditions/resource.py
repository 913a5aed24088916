"""The FHIR resources: a Condition's codings (CIM-10 by final histology and site, ICD-O-3 in the output
edition, SNOMED CT), statuses, bodySite, onset, abatement and evidence; a relative's disease as a
FamilyMemberHistory."""

from __future__ import annotations

from typing import Any

from ... import fhirspec as F
from ...document import Mention
from ..common import BuildContext, ByStart, Unmapped, coding, concept, evidence
from .anaphora import _bare_head
from .model import _cim10_display, _Cond, _haematological
from .reading import _refine, _same_span, _site_after, _site_within
from .status import _ENDED


def _edition(ctx: BuildContext, morph: tuple[str, str], mentions: list[Mention]) -> tuple[str, str]:
    """The morphology code in the output edition: under ICD-O-3.1, the words that gave the code keep their
    ICD-O-3.1 code where ICD-O-3.2 changed it (morphology.csv icdo3_1: "thymome" 8580/1, "GIST" 8936/1). Only a
    code still equal to the row's is recoded: a behaviour read from the context (/6) is the same in both. Words of
    the same code that ICD-O-3.1 codes alike win ("tumeur neuroendocrine" ... "tumeur carcinoïde": 8240/3 in both,
    "thymome" ... "thymome malin": 8580/3 in both)."""
    if ctx.mappings.icdo_edition == "3.1":
        rows = [m.row for m in mentions if m.kind == "morphology" and m.row.icdo3 == morph[0]]
        if rows and all(row.icdo3_1 for row in rows):
            return rows[0].icdo3_1, ctx.mappings.icdo3_1_display[rows[0].icdo3_1]
        # a behaviour read from the context on a histology ICD-O-3.2 recoded ("TNE métastatique" 8240/6): the
        # ICD-O-3.1 histology with that behaviour (8246/6); a change of behaviour alone ("GIST" 8936/1) leaves it
        head = morph[0][:4]
        rows = [m.row for m in mentions if m.kind == "morphology" and m.row.icdo3[:4] == head]
        if rows and all(row.icdo3_1 and row.icdo3_1[:4] != head for row in rows):
            old = rows[0].icdo3_1
            return old[:4] + morph[0][4:], ctx.mappings.icdo3_1_display.get(old, morph[1])
    return morph


def _neoplasm_code(ctx: BuildContext, c: _Cond) -> None:
    """The CIM-10 code of a tumour by its final histology, behaviour and site (neoplasm_cim10.csv), once merges and
    sites borrowed from the report are done: the most specific rule, a morphology's before a site's, the longest
    site prefix first. A benign, uncertain or in situ tumour ("tumeur rénale" D41.0) takes it when it has no code or
    the unspecified code of the same category ("mélanome in situ" D03.9 of the trunk: D03.5); a conditions.csv row
    naming its words keeps its code otherwise. A malignant histology that ICD-10 codes by itself (mesothelioma C45,
    Kaposi sarcoma C46, melanoma of the skin C43) replaces its site's code, as haematological.csv does; its rule
    with no site only codes a tumour that has no code yet (a melanoma of the choroid stays C69.3). A malignant
    tumour or a metastasis whose site is not written and whose histology codes no organ ("un adénocarcinome",
    "présence de métastases") takes the row of its behaviour with neither morphology nor site (C80.9, C79.9); not a
    tumour with a site (its site's code) nor a lymphoid or haematopoietic one (haematological.csv codes them)."""
    assert c.morph is not None
    behaviour, morph = c.morph[0][-1], c.morph[0][:4]
    site = c.site[0] if c.site else ""
    if behaviour == "6" and not site and c.cim10 is None and c.nodal_code:
        # "ganglion sentinelle : une micrométastase": the metastasis of the lymph node its sentence names
        c.cim10 = (c.nodal_code, _cim10_display(ctx, c.nodal_code))
        return
    table = ctx.mappings.neoplasm_cim10
    for key in (morph, ""):
        for prefix in (site, site[:3], "C", "") if site else ("",):
            if (key, behaviour, prefix) not in table:
                continue
            if not key and not prefix and (site or _haematological(c)):
                break  # the unsited row codes a tumour with no site written, and no lymphoma or leukaemia
            rule = table[key, behaviour, prefix]
            if rule is None:
                break  # the histology is coded by its site here ("nævus" of an organ): the site's row
            current = c.cim10[0] if c.cim10 else ""
            vaguer = current[:3] == rule[0][:3] and current != rule[0] and (len(current) == 3 or current[-2:] == ".9")
            if not current or vaguer or (behaviour == "3" and prefix != ""):
                c.cim10 = rule
            return


def _site_code(ctx: BuildContext, c: _Cond) -> None:
    """A malignant tumour whose site is named inside its histology's words ("carcinome rénal à cellules claires")
    and that has no code yet: its site's primary code (topography.csv), as a site written after the words gives it.
    Given here, once merges are done: a code given earlier would change which mentions the tumour adopts."""
    if c.cim10 is not None or c.site is None or not c.morph or not c.morph[0].endswith("/3"):
        return
    code = next((m.row.cim10_primary for m in c.mentions if m.kind == "topography" and m.row.icdo3 == c.site[0]), None)
    if code:
        c.cim10 = (code, _cim10_display(ctx, code))


def _bare_code(ctx: BuildContext, c: _Cond) -> None:
    """A finding head written alone ("une thrombose", "sans surinfection"), once merges and folds are done: the code
    cim10_refine.yaml ``bare`` gives the word (the CIM-10 index's), if any. Only then: a head with a site or a
    modifier says more than the bare word's code, and a code given earlier would change what the finding joins."""
    code = ctx.mappings.finding_bare.get(c.mentions[0].row.term) if c.key.startswith("finding:") else None
    if code is not None:
        c.cim10 = (code, _cim10_display(ctx, code))


def _named(ctx: BuildContext, c: _Cond) -> tuple[str, str] | None:
    """The CIM-10 code of a conditions.csv row naming the very words that gave a tumour its final histology: it says
    how the disease presents, which the histology alone may not ("lymphome lymphoblastique T" is the lymphoma
    C83.5; its ICD-O-3 type 9837/3 is also the leukaemia C91.0)."""
    assert c.morph is not None
    spans = [(m.start, m.end) for m in c.mentions if m.kind == "morphology"]
    words = {
        (o.start, o.end)
        for o in ctx.mentions
        if o.kind == "morphology" and o.row.icdo3 == c.morph[0] and any(a <= o.start and o.end <= b for a, b in spans)
    }
    return next(
        ((o.row.cim10, o.row.display) for o in ctx.mentions if o.kind == "condition" and (o.start, o.end) in words),
        None,
    )


def _resource(ctx: BuildContext, c: _Cond) -> dict[str, Any]:
    main = c.mentions[0]
    codings = []
    if c.morph and c.morph[0].endswith("/3") and c.morph[0] in ctx.mappings.haematological:
        # a lymphoma, a leukaemia, a myeloma is coded by its final histology wherever it is (haematological.csv):
        # "lymphome" C85.9 refined to "B diffus à grandes cellules" is C83.3, a gastric one is not C16.9
        c.cim10 = _named(ctx, c) or ctx.mappings.haematological[c.morph[0]]
    if c.morph:
        _site_code(ctx, c)
        _neoplasm_code(ctx, c)
    elif c.cim10 is None and c.site is None and _bare_head(c) is not None:
        _bare_code(ctx, c)
    if c.cim10:
        codings.append(coding(F.CIM10, c.cim10[0], c.cim10[1]))
    if c.morph:
        # a metastasis's or a recurrence's histology is its cancer's: so is its edition (the words of that cancer)
        origin = c.primary or c.recurs
        cited = c.mentions if origin is None else [*c.mentions, *origin.mentions]
        codings.append(coding(F.ICDO3, *_edition(ctx, c.morph, cited)))
    if c.snomed:
        codings.append(coding(F.SNOMED, c.snomed[0], c.snomed[1]))
    if not codings:
        ctx.unmapped.append(Unmapped("Condition", main.text, main.start, main.end, "no code in the tables"))
    words: list[Mention] = []  # the disease's words
    sites: list[Mention] = []  # and the body sites, cited for Condition.bodySite
    for m in c.mentions:
        (sites if m.kind == "topography" else words).append(m)
    # refuted: the disease is not there, so it is not "active"; R5 makes clinicalStatus mandatory.
    clinical = c.clinical if c.verification != "refuted" else "inactive"
    res: dict[str, Any] = {
        "resourceType": "Condition",
        "id": ctx.id_for("Condition", f"{c.key}:{main.start}"),
        "extension": evidence(ctx, words, None)
        + evidence(ctx, sites, "Condition.bodySite")
        + evidence(ctx, c.status_evidence, "Condition.clinicalStatus")
        + evidence(ctx, c.verification_evidence, "Condition.verificationStatus"),
        "clinicalStatus": concept(clinical, coding(F.CONDITION_CLINICAL, clinical, clinical.capitalize())),
        "verificationStatus": concept(
            c.verification, coding(F.CONDITION_VERIFICATION, c.verification, c.verification.capitalize())
        ),
        "category": [
            concept("Problem List Item", coding(F.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))
        ],
        "code": concept(c.text, *codings),
        "subject": ctx.patient_ref,
    }
    if c.site:
        # an organ read from an act ("la RTUV montrait ...": report._site_beside) is named by the act's table row; the
        # act's words are cited, as the evidence of that site
        named = sites[0].attrs.get("act_organ", sites[0].text)
        res["bodySite"] = [concept(named, coding(F.ICDO3, c.site[0], c.site[1]))]
    if c.onset is not None and c.verification != "refuted":  # an absent disease has no onset
        res["onsetDateTime"] = c.onset.iso()
        res["extension"].append(ctx.evidence(c.onset.start, c.onset.end, "Condition.onset"))
    if c.abatement is not None and c.verification != "refuted" and c.clinical in _ENDED:
        res["abatementDateTime"] = c.abatement.iso()
        res["extension"].append(ctx.evidence(c.abatement.start, c.abatement.end, "Condition.abatement"))
    c.resource = res
    return ctx.add(res)


def _family(
    ctx: BuildContext, diseases: list[Mention], rel: Mention | None, sites: ByStart, key_suffix: str = ""
) -> None:
    """One FamilyMemberHistory per relative: the diseases the report gives that relative are its conditions ("le
    père, décédé d'un infarctus, était hypertendu"); each disease of an unnamed relative is its own. Each condition
    cites one span, in the conditions' order (the evaluation reads them so, evaluate._predictions). ``key_suffix``
    tells apart the ids of relatives given one disease ("sa mère et son oncle en étaient atteints")."""
    conditions, cited = [], []
    for m in diseases:
        code, words = _relatives_condition(ctx, m, sites)
        conditions.append({"code": code})
        cited.extend(words)
    relationship = (
        concept(rel.text, coding(F.V3_ROLECODE, rel.row.code, rel.row.display))
        if rel is not None
        else concept("membre de la famille", coding(F.V3_ROLECODE, "FAMMEMB", "family member"))
    )
    first = diseases[0]
    res = {
        "resourceType": "FamilyMemberHistory",
        "id": ctx.id_for("FamilyMemberHistory", f"{first.start}:{first.end}{key_suffix}"),
        "extension": evidence(ctx, cited) + (evidence(ctx, [rel], "FamilyMemberHistory.relationship") if rel else []),
        "status": "completed",  # the report states the relative's disease; nothing is pending
        "patient": ctx.patient_ref,
        "relationship": relationship,
        "condition": conditions,
    }
    ctx.add(res)


def _relatives_condition(ctx: BuildContext, m: Mention, sites: ByStart) -> tuple[dict[str, Any], list[Mention]]:
    """The code of a relative's disease and the words it cites."""
    row = m.row
    codings = []
    text, cited = m.text, [m]
    if m.kind == "condition":
        # the words after the disease that make its code more specific, as for the patient's (cim10_refine.yaml)
        refined = _refine(ctx, m, row.cim10)
        code, display = refined.attrs.get("refined", (row.cim10, row.display))
        codings.append(coding(F.CIM10, code, display))
        text, cited = refined.text, [refined]
    elif m.kind == "finding":
        codings.extend([coding(F.SNOMED, row.snomed, row.snomed_display)] if row.snomed else [])
    else:
        codings.append(coding(F.ICDO3, *_edition(ctx, (row.icdo3, row.display), [m])))
        for o in _same_span(ctx, m, "condition"):
            codings.insert(0, coding(F.CIM10, o.row.cim10, o.row.display))
        site_m = _site_after(ctx, m, sites)
        target = site_m.row.cim10_primary if site_m is not None and row.icdo3.endswith("/3") else None
        if site_m is not None and target and not any(c["system"] == F.CIM10 for c in codings):
            # "sa mère ... d'un cancer de l'ovaire": the relative's cancer is that organ's (C56.9), as for the patient
            codings.insert(0, coding(F.CIM10, target, _cim10_display(ctx, target)))
            text = ctx.text[m.start : site_m.end]
            # one span for the words, as a patient's tumour phrase is cited ("cancer de l'ovaire")
            cited = [Mention(m.kind, m.start, site_m.end, text, m.rows, m.rule, m.sentence)]
        if site_m is not None:
            # "mélanome cutané du dos": a histology ICD-10 codes by itself at that site (C43.5), as for the patient
            cim = next(((c["code"], c["display"]) for c in codings if c["system"] == F.CIM10), None)
            probe = _Cond([m], "", m.text, cim, None, (row.icdo3, row.display), (site_m.row.icdo3, site_m.row.display))
            _neoplasm_code(ctx, probe)
            if probe.cim10 is not None and probe.cim10 != cim:
                codings = [c for c in codings if c["system"] != F.CIM10]
                codings.insert(0, coding(F.CIM10, *probe.cim10))
        within = _site_within(ctx, m) if site_m is None and row.icdo3.endswith("/3") else None
        target = within.row.cim10_primary if within is not None else None
        if target and not any(c["system"] == F.CIM10 for c in codings):
            # "sa sœur ... d'un carcinome papillaire de la thyroïde": a term naming its organ, as for the patient
            codings.insert(0, coding(F.CIM10, target, _cim10_display(ctx, target)))
    return concept(text, *codings), cited
