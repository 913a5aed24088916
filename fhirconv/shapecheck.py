"""Validation against the fhir.resources models at a fraction of their cost, with the same verdict.

Why: ``Bundle.model_validate`` builds one Python model per element (about 2,700 for a 9 kB report) and runs
fhir_core's Python validators on each; it was 55-60 % of the conversion time. Yet fhirconv's bundles repeat the
same few element shapes thousands of times: a CodeableConcept with one coding, an evidence extension, a Quantity.

How: the verdict of pydantic on an element depends only on
- which keys it has (extra keys are forbidden; choice and required rules look at presence only),
- for each primitive field, whether the value passes that field's own type (the same annotation, compiled once
  into a ``TypeAdapter``, so the same rules: regexes, integer ranges, decimal pattern),
- for each complex field, the verdict on the child element, recursively (fhir_core validates a child from its dict
  alone, and takes an already validated child model as it is),
- and the exact value of the keys that are not model fields (``resourceType``, which must match the class).
So an element is reduced to its *shape*: the class, its keys, the validity class of each primitive value and the
class of each child (children are checked first, and an invalid one ends the check, so a child that returns is a valid
one). The first element of a shape is validated by fhir.resources itself, with its children
already validated in place; every later element of that shape has the same verdict and is not validated again.
Nothing is guessed: an unknown structure (a dict under a primitive field, a union of several element types) is
handed to fhir.resources whole. A failure is never cached, and a failed check is re-run by the full model
validation, which gives the error messages (``validate.py``). ``tests/test_shapecheck.py`` compares the verdicts of
both on thousands of mutated bundles.
"""

from __future__ import annotations

import importlib
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any, Final

from pydantic import TypeAdapter, ValidationError

__all__ = ["ShapeChecker", "shape_check"]

_ANNOTATED: Any = Annotated  # subscripted with a runtime tuple below
_Key = Any  # the key of a valid child in its parent's shape: its model class
_NO_MODEL = (None, False)
# model class -> a rule called on each element dict of that class met in the walk (None: no rule), and None -> the
# rule called on each dict or list the check hands to fhir.resources whole, unwalked (validate.py folds its own
# checks into this walk instead of walking the bundle a second time). The rule of a class must not change for the life
# of the mapping: the walk reads it once per class and mapping (``_Model.ruled``), and the rule reads its context
Rules = Mapping[Any, Callable[[Any], None] | None]


@cache
def resource_class(abstract: Any, resource_type: str) -> Any:
    """The model class of ``resource_type`` in the FHIR version of ``abstract`` (a field typed Resource holds any
    resource; its dict names the type). Raises on an unknown type, which is then not cached."""
    package = importlib.import_module(abstract.__module__.rsplit(".", 1)[0])
    return package.get_fhir_model_class(resource_type)


def _element_type(annotation: Any) -> tuple[Any, bool]:
    """(the model class getter, is a list) of a field annotation, or (None, is a list) for a primitive field. The
    getter, not the class: resolving it imports the model's module, and a report fills few of a model's fields."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return _NO_MODEL
            annotation = args[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        else:
            break
    get_klass = getattr(annotation, "get_model_klass", None)
    return (get_klass, is_list) if get_klass is not None else (None, is_list)


class _Field:
    __slots__ = (
        "complex",
        "is_list",
        "info",
        "_getter",
        "_model",
        "_adapter",
        "valid",
        "valid_str",
        "int_bounds",
        "bounded",
        "int_low",
        "int_high",
    )

    def __init__(self, info: Any) -> None:
        self._getter, self.is_list = _element_type(info.annotation)
        self.complex = self._getter is not None
        self._model: Any = None
        self.info = info
        self._adapter: TypeAdapter[Any] | None = None
        self.valid: dict[Any, bool] = {}  # (type, value) -> verdict of the primitive value
        # str value -> verdict: most primitives are strings, and their key needs no tuple built and hashed per element
        self.valid_str: dict[str, bool] = {}
        self.int_bounds = None if self.complex or info.metadata else _int_bounds(info.annotation)
        # the same bounds as plain attributes, read by the walk without unpacking a tuple
        self.bounded = self.int_bounds is not None
        self.int_low, self.int_high = self.int_bounds or (0, 0)

    @property
    def model(self) -> Any:
        """The element's model class, resolved (imported) on first use."""
        if self._model is None:
            self._model = self._getter()
        return self._model

    @property
    def adapter(self) -> TypeAdapter[Any]:
        """The field's own annotation and constraints compiled on first use (the same schema pydantic compiled into
        the model): a model has dozens of fields a report never fills, and compiling them all cost the cold start
        0.3 s."""
        if self._adapter is None:
            annotated: Any = self.info.annotation
            if self.info.metadata:
                annotated = _ANNOTATED.__class_getitem__((self.info.annotation, *self.info.metadata))
            self._adapter = TypeAdapter(annotated)
        return self._adapter

    def primitive_ok(self, value: Any) -> bool | None:
        """Verdict of this field's type on ``value`` (None when the value cannot be a cache key)."""
        if self.int_bounds is not None and type(value) is int:
            # offsets and lengths are unique per report: decided by the bounds fhir_core's Integer types declare
            # (pydantic's int schema with their ge / le), not cached one by one
            return self.int_bounds[0] <= value <= self.int_bounds[1]
        cache: dict[Any, bool] = self.valid_str if type(value) is str else self.valid
        try:
            key = value if type(value) is str else (type(value), tuple(value) if isinstance(value, list) else value)
            ok = cache.get(key)
        except TypeError:  # unhashable (a dict or a list of dicts under a primitive field)
            return None
        if ok is None:
            try:
                # the adapter's validator called as TypeAdapter.validate_python calls it (every option at its default),
                # without that method's Python frame: a few hundred new values per report
                self.adapter.validator.validate_python(value)
                ok = True
            except ValidationError:
                ok = False
            if len(cache) > 5_000:  # ids, texts and offsets are mostly unique: bound the memory
                cache.clear()
            cache[key] = ok
        return ok


def _int_bounds(annotation: Any) -> tuple[int, int] | None:
    """(ge, le) of an ``Optional[Annotated[int, Integer(...)]]`` field (fhir_core's integer, unsignedInt and
    positiveInt), else None."""
    args = (
        [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation)
        in (
            typing.Union,
            types.UnionType,
        )
        else [annotation]
    )
    if len(args) != 1 or typing.get_origin(args[0]) is not Annotated:
        return None
    base, *meta = typing.get_args(args[0])
    if base is not int or len(meta) != 1:
        return None
    low, high = getattr(meta[0], "min_length", None), getattr(meta[0], "max_length", None)
    if not (isinstance(low, int) and isinstance(high, int)) or type(meta[0]).__name__ not in _INTEGER_TYPES:
        return None
    return low, high


_INTEGER_TYPES = {"Integer", "UnsignedInt", "PositiveInt"}


class _Model:
    """What the walk needs of a model class, found with one lookup per element: its fields by name and alias,
    whether it is abstract (a field typed Resource: the dict's resourceType names the class), and its rule in the
    last rules mapping that walked it."""

    __slots__ = ("fields", "abstract", "ruled", "root")

    def __init__(self, model: Any) -> None:
        self.fields: dict[str, _Field] = {}
        for name, info in model.model_fields.items():
            f = _Field(info)
            self.fields[name] = f
            if info.alias:
                self.fields[info.alias] = f
        self.abstract = getattr(model, "__resource_type__", None) in ("Resource", "DomainResource")
        self.ruled: tuple[Rules, Callable[[Any], None] | None] | None = None
        self.root = _Node()  # the shape automaton of this class (``_Node``)


class _Node:
    """A state of the shape automaton of one model class: the keys read so far in an element, each with the class of
    its value (the shape of ``ShapeChecker._check``, read key by key). Equal shapes end at the same node, which holds
    the model validated for the first element of that shape. Walking it costs a dict lookup per key and, mostly, an
    identity test per value: the shape as a tuple built, hashed and compared per element (~1,000 per report) cost
    twice as much."""

    __slots__ = ("edges", "instance")

    def __init__(self) -> None:
        self.edges: dict[str, _Edge] = {}  # key -> the transitions on that key
        self.instance: Any = None  # the first model validated with the shape ending here (None: not met yet)


class _Edge:
    """The transitions of a node on one key: the key's field, read here rather than in the model's fields (one lookup
    per key, not two), and the next node by the value's token (``ShapeChecker._check``); a list value has its own
    table, keyed by its item classes (a class alone: every item of it; else their frozenset)."""

    __slots__ = ("field", "by_token", "by_items", "last")

    def __init__(self, field: _Field | None) -> None:
        self.field = field
        self.by_token: dict[Any, _Node] = {}
        self.by_items: dict[Any, _Node] = {}
        # the last (token, node) of by_token, one attribute read and written as a pair: most keys of a shape see the
        # same class of value every time, then tested by identity, no hash
        self.last: tuple[Any, _Node] | None = None


# the edge of an element that cannot be keyed: never followed. Final: the compiled build reads it as a C constant, not
# by a lookup in the module's dict at each of the ~2,300 keys of a report
_NO_EDGE: Final = _Edge(None)


class _Invalid(Exception):
    """Raised inside the walk when fhir.resources rejects an element."""


class ShapeChecker:
    """Memoised verdict of the fhir.resources models on JSON-ready dicts (thread-safe: dict reads and writes are
    atomic, and a lost cache write only costs a second validation)."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        # the shape automata of the classes (``_Model.root``) end, for each shape met, at the first model validated
        # with that shape: it stands in for every later element of the shape when their parent is validated (the
        # parent's verdict depends only on the child's verdict). ``nodes`` counts their nodes, to bound the memory
        self.nodes = 0
        self._models: dict[type, _Model] = {}
        self.validated = 0  # elements handed to fhir.resources (how well the cache works)

    def is_valid(self, model: type, data: dict[str, Any], rules: Rules | None = None) -> bool:
        """True iff ``model.model_validate(data)`` would succeed. ``rules[cls](element)`` is called on every element
        dict of the tree (before its children; cached shapes too: the walk always goes down to the leaves), and
        ``rules[None](value)`` on every dict or list the check does not walk; an exception a rule raises ends the
        check and goes to the caller."""
        try:
            self._check(model, data, rules)
        except _Invalid:
            return False
        return True

    def _fields_of(self, model: type) -> dict[str, _Field]:
        return self._model(model).fields

    def _model(self, model: type) -> _Model:
        found = self._models.get(model)
        if found is None:
            found = self._models[model] = _Model(model)
        return found

    def _check(self, model: type, data: Any, rules: Rules | None) -> tuple[Any, _Key | None]:
        """(validated model or the data as it is, its model class or None when its shape cannot be keyed). An
        element that returns is valid (an invalid one raises): its parent's verdict needs no more than its class."""
        # type(x), not x.__class__: the compiled build reads ``__class__`` as a generic attribute lookup (~2 % of
        # the walk), ``type(x)`` as the object's type pointer
        if type(data) is not dict:
            if not isinstance(data, dict):
                if rules is not None and isinstance(data, list):
                    rules[None](data)  # type: ignore[misc]
                return data, None
        info = self._models.get(model) or self._model(model)
        if info.abstract and "resourceType" in data:
            try:
                model = resource_class(model, data["resourceType"])
            except Exception:
                if rules is not None:
                    rules[None](data)  # type: ignore[misc]
                return data, None
            info = self._models.get(model) or self._model(model)
        fields = info.fields
        if rules is not None:
            # the class's rule, looked up in ``rules`` once per rules object, not per element; the pair is read and
            # written as one attribute, so two threads walking with their own rules never mix them
            ruled = info.ruled
            if ruled is None or ruled[0] is not rules:
                ruled = info.ruled = (rules, rules[model])
            rule = ruled[1]
            if rule is not None:
                rule(data)
        # the children's validated models are not kept during the walk: most elements have a known shape, and the
        # lists that kept them cost a tenth of the walk; an element that must be validated walks its children again
        # (``_validate``: their shapes are cached by then)
        # The shape, read key by key through the class's automaton (``_Node``): per key, the token of its value (a
        # non-field key: the value itself; a primitive field: the value's class, or the pair (class, False) when the
        # value is invalid; a complex field: None, the child's class, or for a list the set of its item classes, the
        # field's class alone when every item is of it). Two elements end at the same node iff their keys and tokens
        # are equal in order. ``node`` None: the element cannot be keyed (validated whole, not cached).
        node: _Node | None = info.root
        for k, v in data.items():
            edge = _NO_EDGE
            if node is not None:
                found = node.edges.get(k)
                if found is None:
                    found = node.edges[k] = _Edge(fields.get(k))
                edge = found
                f = edge.field
            else:
                f = fields.get(k)
            if f is None:  # not a model field (resourceType, or an extra key fhir.resources will reject)
                if not isinstance(v, (str, int, float, bool, type(None))):
                    node = None
                    if rules is not None:
                        rules[None](v)  # type: ignore[misc]
                elif node is not None:
                    node = self._next(edge, v)
                continue
            if not f.complex:
                if node is None:
                    if rules is not None and isinstance(v, (dict, list)):
                        rules[None](v)  # type: ignore[misc]
                    continue
                # the common cases inlined (one dict lookup, no method call): a string already judged, and an
                # integer under fhir_core's bounds (offsets and lengths, unique per report: not cached)
                cls = type(v)
                if cls is str:
                    ok = f.valid_str.get(v)
                    if ok is None:
                        ok = f.primitive_ok(v)
                elif cls is int and f.bounded:
                    n: int = v  # a native integer in the compiled build: two C comparisons, not two generic ones
                    ok = f.int_low <= n <= f.int_high
                else:
                    ok = f.primitive_ok(v)
                    if ok is None:  # a dict, or a list of dicts, under a primitive field
                        node = None
                        if rules is not None:
                            rules[None](v)  # type: ignore[misc]
                        continue
                # the value's class alone when valid (the usual case), else the class and the verdict
                node = self._next(edge, cls if ok else (cls, False))
                continue
            if v is None:
                if node is not None:
                    node = self._next(edge, None)
                continue
            if isinstance(v, list):
                sub = f.model
                keys = []
                # every item of the field's own class, the usual list: keyed by that class, no set of the item
                # classes built (a class is never equal to a frozenset, and an empty list is not uniform)
                uniform = bool(v)
                for item in v:
                    # self._check, not a local bound to it: the compiled build calls the method directly (a bound
                    # method went through its Python wrapper, which parsed the arguments and boxed the returned pair
                    # into a tuple at each of the ~1,200 elements of a report)
                    key = self._check(sub, item, rules)[1] if item is not None else (None,)
                    keys.append(key)
                    if key is not sub:
                        uniform = False
                if node is not None:
                    if uniform:
                        node = self._next_items(edge, sub)
                    elif None in keys:
                        node = None
                    else:
                        # the distinct item shapes, not their count or order: a FHIR list has no maximum size and
                        # its items are validated one by one, so 2 or 3 evidence entries of one shape share a verdict
                        node = self._next_items(edge, frozenset(keys))
            else:
                key = self._check(f.model, v, rules)[1]
                if node is not None:
                    node = None if key is None else self._next(edge, key)
        if node is None:
            return self._validate(model, data, fields), None
        # a child is keyed by its class alone (a valid element of that class), not by its own shape: the parent's
        # verdict does not depend on which valid child it holds, so a bundle, and a resource whose children
        # combine known shapes in a new way, are judged from the cache too (keying by the children's shapes
        # validated each bundle and most resources again, as their combination of child shapes was new)
        known = node.instance
        if known is not None:
            return known, model
        instance = node.instance = self._validate(model, data, fields)
        return instance, model

    def _next(self, edge: _Edge, token: Any) -> _Node:
        """The node after ``edge`` on a value of ``token``, made on first use."""
        last = edge.last
        if last is not None and last[0] is token:
            return last[1]
        node = edge.by_token.get(token)
        if node is None:
            node = edge.by_token[token] = self._new_node()
        edge.last = (token, node)
        return node

    def _next_items(self, edge: _Edge, items: Any) -> _Node:
        """The node after ``edge`` on a list whose items are ``items`` (a class, or a frozenset of them)."""
        node = edge.by_items.get(items)
        if node is None:
            node = edge.by_items[items] = self._new_node()
        return node

    def _new_node(self) -> _Node:
        # the automata bounded by their number of nodes: ids, texts and offsets are keyed by class, not value, but
        # an element with a new key (an extra key of an invalid bundle) makes nodes too
        self.nodes += 1
        if self.nodes > self.limit:
            self.nodes = 0
            for info in list(self._models.values()):
                info.root = _Node()
        return _Node()

    def _validate(self, model: Any, data: dict[str, Any], fields: dict[str, _Field]) -> Any:
        """``model.model_validate(data)`` with the complex children replaced by their validated models (fhir.resources
        takes them as they are), or ``_Invalid``. The children are walked again for their models (without the rules,
        which passed on the first walk): a child of a cached shape returns the model cached for it."""
        self.validated += 1
        out = dict(data)  # same keys in the same order, children replaced in place
        for k, v in data.items():
            f = fields.get(k)
            if f is None or not f.complex or v is None:
                continue
            if isinstance(v, list):
                out[k] = [self._check(f.model, item, None)[0] for item in v]
            else:
                out[k] = self._check(f.model, v, None)[0]
        try:
            return model.model_validate(out)
        except Exception as exc:  # fhir_core also lets KeyError out (e.g. resourceType "")
            raise _Invalid from exc


_DEFAULT = ShapeChecker()


def shape_check(model: type, data: dict[str, Any], rules: Rules | None = None) -> bool:
    """True iff ``model.model_validate(data)`` would succeed, with the process-wide shape cache (``rules``: see
    ``ShapeChecker.is_valid``)."""
    return _DEFAULT.is_valid(model, data, rules)
