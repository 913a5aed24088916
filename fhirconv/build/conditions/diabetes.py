"""A diabetic complication named without the type of diabetes ("néphropathie diabétique", E14.2) in a report whose
patient has one stated type of diabetes ("diabétique de type 2", E11.9) is a complication of that diabetes: CIM-10
E10 (type 1), E11 (type 2) and E14 (type not stated) share their subdivisions (.0 coma ... .8), so E14.2 becomes
E11.2."""

from __future__ import annotations

from ..common import BuildContext
from .model import _Cond

__all__ = ["typed_diabetes_complications"]

_TYPED = ("E10", "E11")  # type 1, type 2
_UNTYPED = "E14."
_UNCOMPLICATED = "E14.9"  # a bare "diabète": the same disease as the typed one, not a complication of it


def typed_diabetes_complications(ctx: BuildContext, conds: list[_Cond]) -> None:
    """Recode the untyped diabetic complications of ``conds`` when the patient's confirmed diabetes has one type."""
    types = {
        c.cim10[0][:3]
        for c in conds
        if c.cim10 is not None and c.cim10[0][:3] in _TYPED and c.verification == "confirmed"
    }
    if len(types) != 1:
        return  # no type, or both written (a correction, a relative's): nothing sure
    typed = types.pop()
    for c in conds:
        if c.cim10 is None or not c.cim10[0].startswith(_UNTYPED) or c.cim10[0] == _UNCOMPLICATED:
            continue
        code = typed + c.cim10[0][3:]
        label = ctx.mappings.cim10_labels.get(code)
        if label is not None:
            c.cim10 = (code, label)
