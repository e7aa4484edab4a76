"""The JSON conformance vectors (testdata/conformance/v1), decoded by from_wire with Go's answers."""

import base64
import datetime as dt
import json
import math
import unittest

from support import VECTORS, generated as m

MANIFEST = json.loads((VECTORS / "vectors.json").read_text())
JSON_VECTORS = [v for v in MANIFEST["vectors"] if v["form"] == "json"]


def go_ns(s):
    return m.parse_go_duration(s)


class Micro:
    """A time or duration Python holds to the microsecond: equal to the manifest's nanoseconds
    that truncate to it."""

    def __init__(self, kind, value):
        self.kind, self.value = kind, value

    def __eq__(self, want):
        if self.kind == "duration":
            return isinstance(want, int) and int(want / 1000) * 1000 == self.value
        return (isinstance(want, list) and len(want) == 3 and
                [want[0], want[1] // 1000 * 1000, want[2]] == self.value)

    def __repr__(self):
        return f"Micro({self.kind}, {self.value})"


def canon(v):
    """A decoded Python value in the manifest's canonical JSON (README: expect.fields)."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "+Inf" if v > 0 else "-Inf"
        return v
    if isinstance(v, str):
        try:
            v.encode("utf-8")
            return v
        except UnicodeEncodeError:
            return {"base64": base64.b64encode(v.encode("utf-8", "surrogateescape")).decode()}
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, m.GoTime):
        return [v.seconds, v.nanoseconds, v.offset]
    if isinstance(v, dt.datetime):
        us = (v - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)
        return Micro("time", [us // 10**6, us % 10**6 * 1000, int(v.utcoffset().total_seconds())])
    if isinstance(v, dt.timedelta):
        return Micro("duration", int(v / dt.timedelta(microseconds=1)) * 1000)
    if isinstance(v, list):
        return [canon(e) for e in v]
    if isinstance(v, dict):
        return {k: canon(e) for k, e in v.items()}
    return v


def expected(want, gotype):
    """The manifest's value as Python compares it: a float32 as its shortest text's double."""
    if gotype == "float32" and isinstance(want, (int, float)):
        return float(want)
    return want


def py_type_ok(value, gotype):
    if value is None:
        return gotype == "<nil>" or gotype.startswith("[]") or gotype.startswith("map[")
    if gotype in ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"):
        return type(value) is int
    if gotype in ("float32", "float64"):
        return type(value) is float
    if gotype == "string":
        return type(value) is str
    if gotype == "bool":
        return type(value) is bool
    if gotype == "[]uint8":
        return type(value) is bytes
    if gotype == "time.Time":
        return isinstance(value, (dt.datetime, m.GoTime))
    if gotype == "time.Duration":
        return type(value) is dt.timedelta
    if gotype.startswith("[]"):
        return type(value) is list
    if gotype.startswith("map["):
        return type(value) is dict
    return False


class Conformance(unittest.TestCase):
    def test_catalog_is_the_module(self):
        for name in MANIFEST["catalog"]:
            self.assertEqual(getattr(m, name).__name__, name)

    def test_vectors(self):
        self.assertGreater(len(JSON_VECTORS), 50)
        for v in JSON_VECTORS:
            with self.subTest(v["name"]):
                data = (VECTORS / v["payload"]).read_bytes()
                if "refused" in v:
                    with self.assertRaises(m.WireError) as cm:
                        m.from_wire(data)
                    self.assertIn(v["refused"]["error_contains"], str(cm.exception))
                    continue
                exc = m.from_wire(data)
                self.check(exc, v["expect"])
                # Encoded again and decoded, the answers stay. A vector at a density limit may
                # hold padding (unknown members) that to_wire does not keep: encoded again, it
                # is refused as Go's Encode refuses it, naming the limit.
                try:
                    text = m.to_json(exc)
                except m.WireError as err:
                    self.assertTrue(v["name"].startswith("limit-"), err)
                    self.assertRegex(str(err), "the most its|MaxLayers|MaxDepth")
                    continue
                self.check(m.from_wire(text), v["expect"])

    def check(self, exc, want):
        text = m.error_text(exc)
        if "error_base64" in want:
            self.assertEqual(text.encode("utf-8", "surrogateescape"), base64.b64decode(want["error_base64"]))
        else:
            self.assertEqual(text, want["error"])
        self.assertEqual(m.code_of(exc), want["code"])
        self.assertEqual(m.name_of(exc), want["name"])
        self.assertEqual(m.ancestors_of(exc), want["ancestors"])
        self.assertEqual(m.retry_of(exc), want["retry"])
        self.assertEqual(m.is_retryable(exc), want["retry"] == "transient")
        self.assertEqual(m.retry_after_of(exc), m._td(go_ns(want["retry_after"])))
        for name, is_ in want["is"].items():
            self.assertEqual(m.is_code(exc, getattr(m, name)), is_, f"is_code(exc, {name})")
            if isinstance(exc, getattr(m, name)):
                self.assertTrue(is_, f"isinstance(exc, {name}) but Go's Is is false")
        got = m.fields_of(exc)
        wf = want["fields"] or {}
        self.assertEqual(sorted(got), sorted(wf))
        for k, f in wf.items():
            self.assertTrue(py_type_ok(got[k], f["type"]), f"field {k}: {type(got[k]).__name__} for Go's {f['type']}")
            self.assertEqual(canon(got[k]), expected(f["value"], f["type"]), f"field {k}")


if __name__ == "__main__":
    unittest.main()
