"""One disease, one Condition: mentions of the same key merge (two histology families at one organ, or two
episodes of an episodic disease a year apart, stay two), a histology "NOS" takes its subtype, and a disease coded
"sans précision" or named with fewer words joins the more specific one of the report."""

from __future__ import annotations

from typing import Any

from ...document import Mention
from ...normalise import term_keys
from ..common import BuildContext
from .model import _GENERIC_MORPH, _RANK, _Cond, _family_of, _subsite_code
from .status import _absorb, _apart, _earliest, _ended, _recurs, _year_after


def _merge(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    by_key: dict[str, _Cond] = {}
    order: list[_Cond] = []
    # the mentions an exclusion cue rules out, listed once when first needed: each refuted hypothesis read every
    # mention of the report
    exclusions: list[Mention] | None = None
    for c in conds:
        # one disease, one Condition; but localised findings of different sites stay apart ("nodes:C77.3")
        key = f"cim10:{c.cim10[0]}" if c.cim10 and not c.morph and not c.site else c.key
        refuted = c.verification == "refuted"
        # a disease only suspected so far, then ruled out by an exclusion ("une leucémie promyélocytaire a été
        # suspectée ... ce qui a écarté la leucémie promyélocytaire"): one Condition, refuted, as the later words
        # settle the hypothesis. Not a mere absence ("pas de", "sans"): "sans récidive de pancréatite" at follow-up,
        # "aucun épanchement" on a control film are other times, not the hypothesis ruled out
        ruled_out = refuted and key in by_key and by_key[key].verification in ("provisional", "differential")
        if ruled_out:
            if exclusions is None:
                exclusions = [m for m in ctx.mentions if "exclusion" in m.qualifiers]
            ruled_out = _excluded(exclusions, c)
        # an absent disease ("absence de néoplasie résiduelle", "pas de thrombophlébite") is its own negative
        # finding: merged into the patient's confirmed Condition it would vanish (confirmed outranks refuted)
        if refuted and not key.endswith("|refuted") and not ruled_out:
            key += "|refuted"
        # an unsited tumour joins the sited primary of the same histology ("carcinome neuroendocrine" ... "de l'iléon")
        if c.morph and not c.site and c.morph[0].endswith("/3") and not refuted:
            for o in order:
                if o.morph and o.site and o.morph[0] == c.morph[0] and o.verification != "refuted":
                    key = o.key
                    break
        # (not nodal metastases read from adenopathies, keyed by their full C77.x: the report's unsited
        # "métastases" are its organ metastases, not the lymph nodes it describes separately)
        if c.morph and c.site and c.cim10 and not c.key.startswith("tumour:6:C77.") and not refuted:
            for i, o in enumerate(order):
                if (
                    o.morph
                    and not o.site
                    and not o.nodal
                    and o.morph[0] == c.morph[0]
                    and o.key in by_key
                    and o.verification != "refuted"
                ):
                    # adopt the earlier unsited mention of the same tumour
                    del by_key[o.key]
                    del order[i]  # by position: ``remove`` compared each earlier Condition field by field
                    recurs = _recurs(c)
                    c.mentions = o.mentions + c.mentions
                    c.verification = max(c.verification, o.verification, key=_RANK.__getitem__)
                    c.courses = o.courses + c.courses
                    # a recurrence at a new site ("nouvelle rechute au niveau sacré ... métastase") starts when
                    # the recurrence is written, not when the earlier unsited mention was
                    c.onset = c.onset if recurs and c.onset is not None else _earliest(c.onset, o.onset)
                    break
        held = by_key[key].snomed if key in by_key else None
        if c.snomed and held and c.snomed[0] != held[0]:
            # one CIM-10 code, two diseases that SNOMED CT tells apart: "hépatite B et hépatite C", both B19.9
            key += f"|sct:{c.snomed[0]}"
        if key in by_key and _two_cancers(by_key[key], c):
            key += f"|family:{_family_of(c)}"  # "angiosarcome du sein" years after a breast carcinoma: two cancers
        if key in by_key and _two_sides(ctx, by_key[key], c):
            key += f"|side:{min(_sides(ctx, c))}"  # "cancer du sein droit" in 2005, "carcinome du sein gauche" now
        if key in by_key and _distinct_histologies(ctx, by_key[key], c):
            key += f"|histology:{c.morph[0][:4] if c.morph else ''}"
        if key in by_key and c.episodic and _apart(by_key[key], c):
            # "une occlusion intestinale due à des brides" in 2011, "une subocclusion intestinale" in 2015: two
            # episodes of an episodic disease, each with its own onset and course
            key += f"|episode:{c.onset.year}:{c.onset.month or 0}"
        elif key in by_key and c.episodic and _new_episode(ctx, by_key[key], c):
            key += f"|episode:at:{c.mentions[0].start}"
        if key in by_key:
            t = by_key[key]
            # read before t takes c's mentions: c alone in the Diagnostic section concludes to its histology
            concluded = t.morph != c.morph and _concludes(ctx, c) and not _concludes(ctx, t)
            t.mentions.extend(c.mentions)
            if _RANK[c.verification] > _RANK[t.verification] or ruled_out:
                t.verification = c.verification
            if t.morph and c.morph and t.morph[0][:4] in _GENERIC_MORPH and c.morph[0][:4] not in _GENERIC_MORPH:
                t.morph = c.morph
            elif t.morph and c.morph and (_subtype(t, c) or (concluded and _specific(ctx, c))):
                # a subtype of the NOS histology, or the histology the Diagnostic section concludes to
                # ("adénocarcinome pulmonaire infiltrant" in the tests, "Diagnostic : carcinome sarcomatoïde d'origine
                # pulmonaire"): the report's final word on the tumour
                t.morph = c.morph
            if t.cim10 and c.cim10 and _finer_subsite(t.cim10[0], c.cim10[0]) and t.morph == c.morph:
                # the same primary tumour told again with its sub-site ("carcinome épidermoïde cutané" then, in the
                # Diagnostic section, "... cutané du cuir chevelu"): C44.9 -> C44.4 (not a metastasis: its bodySite
                # is the site read with it, which its code must name)
                t.cim10 = c.cim10
            t.onset = _earliest(t.onset, c.onset)
            t.courses.extend(c.courses)
            if c.clinical == "recurrence":  # a recurrence finding's Condition stays one (_fold_findings)
                t.clinical = "recurrence"
        else:
            c.key = key
            by_key[key] = c
            order.append(c)
    return order


def _finer_subsite(held: str, told: str) -> bool:
    """``told`` is a sub-site of the organ of primary cancers ``held`` codes "sans précision" (C44.9 -> C44.4)."""
    return held[0] == "C" and held < "C77" and held.endswith(".9") and told[:3] == held[:3] and _subsite_code(told)


def _excluded(exclusions: list[Mention], c: _Cond) -> bool:
    """A word of ``c`` is ruled out by an exclusion cue ("a été écartée"), not only said absent: read on the text's
    mentions (``exclusions``: those with the exclusion qualifier), as a tumour's phrase is a new mention without the
    cues of its words."""
    return any(any(m.start < x.end and x.start < m.end for x in c.mentions) for m in exclusions)


def _two_cancers(t: _Cond, c: _Cond) -> bool:
    """Two tumours keyed by one organ are two cancers when their histologies are of two families (a carcinoma and a
    sarcoma of one breast); a generic word ("cancer du sein") or a subtype of one family is the same tumour."""
    if not (t.morph and c.morph and t.morph[0].endswith("/3") and c.morph[0].endswith("/3")):
        return False  # metastases of one site merge whatever they are said to be
    a, b = _family_of(t), _family_of(c)
    return bool(a and b and a != b)


def _sides(ctx: BuildContext, c: _Cond) -> set[str]:
    """The sides written right after a malignant tumour's site words ("du sein droit": {"droit"}); none for another
    tumour (a metastasis, whose sides are those of the organs it reached)."""
    if not (c.morph and c.morph[0].endswith("/3")):
        return set()
    side = ctx.mappings.phrases["side_after"]
    return {m.group("side") for t in c.mentions if t.kind == "topography" and (m := side.match(ctx.text, t.end))}


def _two_sides(ctx: BuildContext, t: _Cond, c: _Cond) -> bool:
    """Two malignant tumours of one organ said to be on two sides ("cancer du sein droit" in 2005, "carcinome du
    sein gauche" in 2019) are two cancers; a tumour whose side is written once, or on both sides, is one."""
    a, b = _sides(ctx, t), _sides(ctx, c)
    return bool(a and b and not a & b)


def _fold_unspecified(conds: list[_Cond]) -> list[_Cond]:
    """One disease, one Condition:
    - a disease coded "sans précision" (``.9``) joins a more specific code of its CIM-10 category named elsewhere in
      the report ("grossesse extra-utérine" O00.9 ... "grossesse tubaire" O00.1, "thrombophlébite" I80.9 ... "du
      membre inférieur" I80.3);
    - a disease named again with more words joins that longer name, when a single disease of the report is it
      ("appendicite" K37 ... "appendicite aiguë" K35.8, "diabète" ... "diabète de type 2");
    - a finding its site codes as a disease joins that disease named in the report (below).
    Not a tumour or a localised finding (their site keeps them apart), not across a refuted one, nor two episodes of
    an episodic disease a year apart."""
    # the diseases that may join or host another (no tumour, no localised finding), and the words of their table
    # terms, read once; a disease is compared with the others only when it may join one (a pass over all of them
    # per disease was quadratic in a long report)
    plain = [c for c in conds if c.cim10 and not c.morph and not c.site]
    words = {id(c): _term_words(c) for c in plain}
    target: dict[int, _Cond] = {}
    for c in plain:
        assert c.cim10 is not None
        # the shorter name must be its term alone: "hépatite C" is read from "hépatite" and its agent, it is not
        # the first words of "hépatite B chronique"
        mine = words[id(c)] if words[id(c)] and term_keys(c.text)[0] == words[id(c)] else ()
        unspecified = c.cim10[0].endswith(".9")
        if not unspecified and not mine:
            continue
        host = None
        if unspecified:
            host = next(
                (
                    o
                    for o in plain
                    if o.cim10
                    and o.cim10[0][:3] == c.cim10[0][:3]
                    and not o.cim10[0].endswith(".9")
                    and _same_course(c, o)
                ),
                None,
            )
        if host is None and mine:
            longer = {
                o.key: o
                for o in plain
                if len(words[id(o)]) > len(mine)
                and words[id(o)][: len(mine)] == mine
                and _same_course(c, o)
                # a past episode and a current one are two ("antécédent de diabète gestationnel" ... "actuellement
                # diabète"): the longer name may be another disease of the same word
                and not ((c.episodic or o.episodic) and _ended(c) != _ended(o))
            }
            host = next(iter(longer.values())) if len(longer) == 1 else None
        if host is not None:
            target[id(c)] = host
    # a finding whose site gave it a disease's code ("diverticule œsophagien" K22.5) is that disease when the report
    # names it ("diverticule de Zenker" K22.5): the one named disease of that exact code hosts it
    codes: dict[str, list[_Cond]] = {}
    for c in plain:
        assert c.cim10 is not None
        codes.setdefault(c.cim10[0], []).append(c)
    for c in conds:
        if c.cim10 and not c.morph and c.site and not c.key.startswith("nodes:") and c.cim10[0] in codes:
            hosts = [o for o in codes[c.cim10[0]] if _same_course(c, o)]
            if len(hosts) == 1:
                target[id(c)] = hosts[0]
    out: list[_Cond] = []
    for c in conds:
        host, seen = target.get(id(c)), {id(c)}
        while host is not None and id(host) in target and id(target[id(host)]) not in seen:  # a chain ends somewhere
            seen.add(id(host))
            host = target[id(host)]
        if host is None or id(host) in target:  # no host, or a cycle: keep it
            out.append(c)
            continue
        _absorb(host, c)
    return out


def _fold_episodes(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """An episode of a disease the report names joins it (cim10_refine.yaml ``joins``): "épisode maniaque" (F30)
    beside "trouble bipolaire" (F31) is the bipolar disorder's episode, whose CIM-10 category excludes F30 (see
    ``_may_host``); whatever their dates (the episodes of a chronic disorder are its course)."""
    joins = ctx.mappings.joins
    plain: dict[str, list[_Cond]] = {}
    for c in conds:
        if c.cim10 and not c.morph and not c.site:
            plain.setdefault(c.cim10[0][:3], []).append(c)
    if not joins.keys() & plain.keys():
        return conds
    out: list[_Cond] = []
    for c in conds:
        host = None
        if c.cim10 and not c.morph and not c.site:
            hosts = (o for cat in joins.get(c.cim10[0][:3], ()) for o in plain.get(cat, ()))
            host = next((o for o in hosts if _may_host(o, c)), None)
        if host is None:
            out.append(c)
        else:
            _absorb(host, c)
    return out


def _may_host(o: _Cond, c: _Cond) -> bool:
    """The disorder ``o`` may take its episode ``c``: asserted alike, or ``o`` confirmed and ``c`` not refuted (a
    confirmed depressive episode does not confirm a suspected bipolar disorder)."""
    return o.verification == c.verification or (o.verification == "confirmed" and c.verification != "refuted")


def _same_course(c: _Cond, o: _Cond) -> bool:
    """``o`` is another disease ``c`` may join: both refuted or neither, and not two episodes a year apart (either
    name may be the episodic one: "appendicite" K37 in 2010 ... "appendicite aiguë" K35 in 2023)."""
    return (
        o is not c
        and (o.verification == "refuted") == (c.verification == "refuted")
        and not ((c.episodic or o.episodic) and (_apart(o, c) or _apart(c, o)))
    )


def _term_words(c: _Cond) -> tuple[str, ...]:
    """The folded words of the conditions.csv term a disease was read from (empty for a finding or a tumour)."""
    m = c.mentions[0] if c.mentions else None
    if m is None or m.kind != "condition":
        return ()
    return term_keys(m.row.term)[0]


def _morph_row(c: _Cond) -> Any:
    """The morphology.csv row that gave a tumour its code (None once a later word refined it)."""
    assert c.morph is not None
    return next((m.row for m in c.mentions if m.kind == "morphology" and m.row.icdo3 == c.morph[0]), None)


def _distinct_histologies(ctx: BuildContext, t: _Cond, c: _Cond) -> bool:
    """Two malignant tumours of two specific histologies of an organ whose cancers are many and distinct
    (tumours.yaml ``distinct_histologies``: the skin) are two cancers ("carcinome basocellulaire de l'aile du nez" in
    the history, "carcinome épidermoïde du cuir chevelu" now), unlike a carcinoma of one breast refined by the report;
    a subtype still merges."""
    if not (t.morph and c.morph and t.site and c.site and t.morph[0].endswith("/3") and c.morph[0].endswith("/3")):
        return False
    a, b = t.morph[0][:4], c.morph[0][:4]
    organs = ctx.mappings.distinct_histology_sites
    return (
        t.site[0][:3] in organs
        and c.site[0][:3] in organs
        and a != b
        and not {a, b} & _GENERIC_MORPH
        and not _subtype(t, c)
        and not _subtype(c, t)
    )


def _subtype(t: _Cond, c: _Cond) -> bool:
    """``c`` names a subtype of ``t``'s "NOS" histology, in the same words plus more: "adénocarcinome pulmonaire"
    then "adénocarcinome pulmonaire de type acineux" (8140/3 -> 8550/3), "lymphome" then "lymphome B diffus à
    grandes cellules". A different histology of the same organ ("carcinome épidermoïde") is not a subtype."""
    a, b = _morph_row(t), _morph_row(c)
    if a is None or b is None or a.icdo3 == b.icdo3 or not a.display.endswith("NOS"):
        return False
    head, longer = term_keys(a.term)[0], term_keys(b.term)[0]
    return len(longer) > len(head) and longer[: len(head)] == head


def _concludes(ctx: BuildContext, c: _Cond) -> bool:
    """A mention of ``c`` is in the report's Diagnostic section (sections.yaml key ``diagnosis``)."""
    if ctx.structure is None:
        return False
    sentences, sections = ctx.structure.sentences, ctx.structure.sections
    return any(m.sentence >= 0 and sections[sentences[m.sentence].section].key == "diagnosis" for m in c.mentions)


def _specific(ctx: BuildContext, c: _Cond) -> bool:
    """``c``'s histology names a type, not a class of them (phrases.yaml broad_histology: "Adenocarcinoma, NOS",
    "Non-small cell carcinoma")."""
    row = _morph_row(c)
    return row is not None and not ctx.mappings.phrases["broad_histology"].fullmatch(row.display)


def _new_episode(ctx: BuildContext, t: _Cond, c: _Cond) -> bool:
    """``c``, named without a date of its own and as current, is a new episode of the past one ``t``: the report's
    narrative is a year or more past ``t``'s dates there ("épisode dépressif en 2015, traité" ... two pages and
    seven years later "un épisode dépressif a été confirmé")."""
    if c.onset is not None or not _ended(t) or _ended(c) or ctx.timeline is None:
        return False
    return _year_after(t, ctx.timeline.last_before(c.mentions[0].start))
