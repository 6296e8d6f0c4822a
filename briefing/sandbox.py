"""What a template may touch: data, and a short, reviewed list of things it may call.

Templates are not trusted (a template pack comes from another office, a colleague, a
download), so they run in Jinja's immutable sandbox. The sandbox alone refuses names with
underscores and methods that change lists and dicts, but allows calling any other public
method — and the content models are pydantic models, whose public (deprecated) class
methods parse pickles (`parse_raw(..., proto="pickle")`), read files (`parse_file`) and
build objects without checks (`model_construct`). So this policy allows:

- on a pydantic model, only its fields and the properties the project defines on it;
- on a class, nothing: no class method or constructor is reached through a value;
- as a callable, only what is listed here: pure methods of text, numbers, dates, lists
  and mappings; the few methods of the project's view objects that templates call; Jinja's
  own machinery (macros, blocks, `loop.cycle`, the sandboxed `str.format`); and the
  environment's globals (`range`, `dict`, `cycler`, `joiner`, `namespace`, `lipsum`).

Everything else reachable from a template is refused with Jinja's SecurityError, which the
renderer reports as B403 naming the template's file and line. `tests/test_sandbox.py` walks
everything a template can reach from each kind of page and fails on any callable this
policy lets through that is not on these lists.
"""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pydantic import BaseModel

_TEXT_METHODS = frozenset(
    {
        "capitalize", "casefold", "center", "count", "endswith", "find", "index",
        "isalnum", "isalpha", "isdigit", "islower", "isnumeric", "isspace", "istitle",
        "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix",
        "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit",
        "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
        "upper", "zfill",
    }
)  # fmt: skip
"""Methods of text that only read it (`format` goes through the sandbox's own formatter)."""

_DATE_METHODS = frozenset({"isoformat", "strftime", "weekday", "isoweekday", "isocalendar"})

SAFE_METHODS: dict[type, frozenset[str]] = {
    Markup: _TEXT_METHODS | {"striptags", "unescape"},
    str: _TEXT_METHODS,
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    dt.datetime: _DATE_METHODS,
    dt.date: _DATE_METHODS,
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
}
"""Per type (most specific first), the methods a template may call on a value of it."""

VIEW_METHODS = frozenset(
    {
        "MemoView.annex",
        "MemoView.annex_points",
        "MemoView.cite",
    }
)
"""Methods of the project's view objects (`briefing.resolve`) that templates call; each
returns data built from the view and reads no file."""


_SANDBOXED_FORMAT = ImmutableSandboxedEnvironment().wrap_str_format("".format)
"""What the sandbox hands a template that reaches for `str.format`: Jinja's wrapper, which
formats with the sandbox's own formatter (a placeholder's attributes and items are looked
up as the sandbox allows, and a Markup's arguments escaped). Its code is recognised, so
that only this wrapper, and not `format_map` or any other function, passes `may_call`."""


class PlainDataSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to plain data and the callables listed above."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, type):
            return False
        if isinstance(obj, BaseModel) and not _is_model_data(type(obj), attr):
            return False
        return not callable(value) or self.is_safe_callable(value)

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj) and self.may_call(obj)

    def may_call(self, obj: Any) -> bool:
        """Whether `obj` is on the reviewed list of things a template may call."""
        if any(obj is value for value in self.globals.values()):
            return True
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, types.BuiltinMethodType) and owner is not None:
            return _builtin_method_allowed(owner, obj.__name__)
        if isinstance(obj, types.MethodType):
            if isinstance(owner, (BaseModel, type)):
                return False
            return _is_jinja(obj.__func__) or _is_view_method(obj.__func__)
        if isinstance(obj, types.FunctionType):
            return _is_jinja(obj) or _is_view_method(obj) or _is_sandboxed_format(obj)
        return not isinstance(obj, type) and _is_jinja(type(obj))


def _is_model_data(model: type[BaseModel], attr: str) -> bool:
    """A field of the model, or a property the project defines on it (never pydantic's own
    methods, which parse, copy, construct and read files)."""
    if attr in model.model_fields or attr in model.model_computed_fields:
        return True
    for klass in model.__mro__:
        if klass is BaseModel:
            return False
        if attr in vars(klass):
            return isinstance(vars(klass)[attr], property)
    return False


def _builtin_method_allowed(owner: Any, name: str) -> bool:
    if isinstance(owner, type):
        return False
    for kind, names in SAFE_METHODS.items():
        if isinstance(owner, kind):
            return name in names
    return False


def _is_jinja(thing: Any) -> bool:
    """Jinja's own runtime: macros, `caller`, block references, `loop`, `cycler`, the
    sandboxed `str.format`. These run template code under the same sandbox."""
    return str(getattr(thing, "__module__", "")).startswith("jinja2.")


def _is_sandboxed_format(function: types.FunctionType) -> bool:
    """Jinja's sandboxed `str.format` (see `_SANDBOXED_FORMAT`)."""
    wrapper = _SANDBOXED_FORMAT
    return (
        wrapper is not None
        and function.__code__ is getattr(wrapper, "__code__", None)
        and function.__name__ == "format"
    )


def _is_view_method(function: Any) -> bool:
    module = str(getattr(function, "__module__", ""))
    return module == "briefing.resolve" and function.__qualname__ in VIEW_METHODS
