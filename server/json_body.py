"""Request bodies read as strict JSON, in one place for every route (webargs' parser and ``request.get_json``).

Python's decoder is lenient where browsers and PostgreSQL are not:

* ``NaN``, ``Infinity``, ``-Infinity`` (and ``1e999``, read as infinity) would be stored in a scan's context or the
  audit log and sent back as JSON no browser parses;
* an integer past 4,300 digits makes ``int()`` raise a ValueError the decoder does not wrap (a 500);
* a lone UTF-16 surrogate (``"\\ud800"``) is a ``str`` Python cannot encode: a 500 at the first insert, after a
  batch's earlier scans were committed.

All are refused as unreadable JSON (400 ``bad_json``; a surrogate ``lone_surrogate``) before a route runs.
"""
from __future__ import annotations

import json
import math
import re

from flask import current_app
from flask.json.provider import DefaultJSONProvider
from webargs import missing
from webargs.flaskparser import FlaskParser, is_json_request

MAX_NUMBER_CHARS = 100  # far beyond any quantity, price or id; int() is quadratic in the digits


class LoneSurrogate(json.JSONDecodeError):
    """A string holding half of a UTF-16 surrogate pair: no valid Unicode text (errors.py names it)."""


def _number_too_long(text: str):
    raise json.JSONDecodeError(f"number of {len(text)} characters", text[:20], 0)


def _int(text: str) -> int:
    return int(text) if len(text) <= MAX_NUMBER_CHARS else _number_too_long(text)


def _float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else _number_too_long(text)
    if not math.isfinite(value):
        raise json.JSONDecodeError("number out of range", text, 0)
    return value


def _constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # what a surrogate needs to reach a str (raw: bad UTF-8)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value) -> bool:
    """Any lone surrogate in the decoded value, keys included (a loop: the depth is the decoder's)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def loads(data: str | bytes):
    """``json.loads``, strict: raises ``json.JSONDecodeError`` (a ValueError) for anything refused above."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = data.decode("utf-8")  # (json.loads would let raw surrogates through with 'surrogatepass')
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError(f"not UTF-8: {exc.reason}", " ", exc.start) from None
    try:
        value = json.loads(data, parse_constant=_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # (int()'s own digit limit, should MAX_NUMBER_CHARS ever exceed it)
        raise json.JSONDecodeError(str(exc), data or " ", 0) from None
    # Only bodies with a \uD8xx-\uDFxx escape are walked: the common case costs one regex scan.
    if _ESCAPED_SURROGATE.search(data) and _has_surrogate(value):
        raise LoneSurrogate("lone UTF-16 surrogate", data, 0)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's provider, reading strictly (``request.get_json``); writing as before."""

    def loads(self, s, **kwargs):
        return loads(s)


class StrictParser(FlaskParser):
    """webargs reads bodies with the plain ``json.loads``: through the app's strict provider instead."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        return current_app.json.loads(req.get_data(cache=True))
