"""A complication named without the type of its disease ("néphropathie diabétique", E14.2) in a report whose patient
has one stated type of that disease ("diabétique de type 2", E11.9) is a complication of that type: the CIM-10
categories of the disease by type share their subdivisions (cim10_refine.yaml ``types``: diabetes E10 type 1, E11
type 2, E14 type not stated; .0 coma ... .8), so E14.2 becomes E11.2."""

from __future__ import annotations

from ..common import BuildContext
from .model import _Cond

__all__ = ["typed_diabetes_complications"]


def typed_diabetes_complications(ctx: BuildContext, conds: list[_Cond]) -> None:
    """Recode the untyped complications of ``conds`` of each disease of cim10_refine.yaml ``types`` (diabetes) when
    the patient's confirmed disease has one type."""
    for untyped, (categories, bare) in ctx.mappings.cim10_types.items():
        types = {
            c.cim10[0][:3]
            for c in conds
            if c.cim10 is not None and c.cim10[0][:3] in categories and c.verification == "confirmed"
        }
        if len(types) != 1:
            continue  # no type, or two written (a correction, a relative's): nothing sure
        typed = types.pop()
        for c in conds:
            # the bare untyped code is the disease itself (a bare "diabète"), the same as the typed one
            if c.cim10 is None or not c.cim10[0].startswith(untyped + ".") or c.cim10[0] == bare:
                continue
            code = typed + c.cim10[0][len(untyped) :]
            label = ctx.mappings.cim10_labels.get(code)
            if label is not None:
                c.cim10 = (code, label)
