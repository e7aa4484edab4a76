"""to_wire / from_wire round trips in Python: every code, alias, unknown codes, chains, joins, fields."""

import datetime as dt
import json
import unittest

from support import generated as m

CODES = [c for (c, *_rest) in m._CATALOG]
ALIASES = dict(m._ALIASES)


def answers(exc):
    return (m.error_text(exc), m.code_of(exc), m.name_of(exc), m.ancestors_of(exc), m.retry_of(exc),
            m.retry_after_of(exc), {n: m.is_code(exc, getattr(m, n)) for n in CODES})


class RoundTrip(unittest.TestCase):
    def hop(self, exc):
        doc = m.to_wire(exc)
        self.assertEqual(json.loads(m.to_json(exc)), doc)
        back = m.from_wire(doc)
        self.assertEqual(answers(back), answers(exc))
        self.assertEqual(m.to_wire(back), {**doc, "chain": m.to_wire(back)["chain"]})
        return doc, back

    def test_every_code(self):
        for name in CODES:
            with self.subTest(name):
                cls = getattr(m, name)
                exc = cls.__new__(cls)
                exc.__init__("boom", **({"expected_uid": 1, "actual_uid": 2} if name == "SocketAuthError" else {})
                             ) if name != "GuestAgentError" else exc.__init__("boom", {"out": "x"})
                doc, back = self.hop(exc)
                self.assertIs(type(back), cls)
                self.assertEqual(doc["chain"][0]["code"], name)
                self.assertEqual(back.message, "boom")
                self.assertEqual(back.context, exc.context)
                self.assertEqual(m.retry_after_of(back), dt.timedelta(seconds=1 if name == "VmCapacityError" else 0))

    def test_aliases(self):
        for alias, name in ALIASES.items():
            with self.subTest(alias):
                doc = {"version": 1, "chain": [{"code": alias, "message": "m"}]}
                exc = m.from_wire(doc)
                self.assertIs(type(exc), getattr(m, name))
                self.assertEqual((m.name_of(exc), m.code_of(exc)), (alias, name))
                self.assertEqual(m.to_wire(exc)["chain"][0]["code"], alias)

    def test_seed_attributes(self):
        exc = m.VmOverlayError("overlay", {"vm": 7}, stderr="no space", error_class="GenericError")
        doc, back = self.hop(exc)
        self.assertEqual(doc["chain"][0]["fields"], {"error_class": "GenericError", "stderr": "no space", "vm": 7})
        self.assertEqual((back.stderr, back.error_class, back.context), ("no space", "GenericError", {"vm": 7}))
        sock = m.from_wire(m.to_wire(m.SocketAuthError("hijack", 1000, 0)))
        self.assertEqual((sock.expected_uid, sock.actual_uid, sock.context), (1000, 0, {"expected_uid": 1000, "actual_uid": 0}))
        # The wire may lack a required argument: no __init__ runs, the attribute is None.
        bare = m.from_wire({"version": 1, "chain": [{"code": "SocketAuthError", "message": "m"}]})
        self.assertIsNone(bare.expected_uid)
        self.assertEqual(bare.args, ("m",))

    def test_cause_chain(self):
        try:
            try:
                raise OSError("disk full")
            except OSError as e:
                raise m.VmOverlayError("overlay") from e
        except m.VmOverlayError as e:
            exc = e
        outer = m.SandboxError("starting vm 7")
        outer.__cause__ = exc
        self.assertEqual(m.error_text(outer), "starting vm 7: overlay: disk full")
        self.assertEqual(str(outer), "starting vm 7")
        self.assertEqual(m.retry_of(outer), "transient")  # SandboxError defers to what it wraps
        doc, back = self.hop(outer)
        self.assertIn("stack", doc["chain"][1])  # the Python traceback, as text
        self.assertIsInstance(back.__cause__, m.VmOverlayError)
        self.assertIsInstance(back.__cause__.__cause__, m.WireMessage)

    def test_other_exceptions_travel_as_text(self):
        outer = m.SandboxError("op")
        outer.__cause__ = ValueError()
        chain = m.to_wire(outer)["chain"]
        self.assertEqual(chain[1], {"kind": "message", "message": "ValueError"})
        self.assertEqual(m.error_text(outer), "op: ValueError")

    def test_decoded_values_are_resent_as_they_came(self):
        layer = {"code": "GuestAgentError", "message": "m",
                 "fields": {"t": "2024-05-06T07:08:09.123456789+02:00", "d": 1500, "i8": 3},
                 "field_types": {"t": "time", "d": "duration", "i8": "int8"}}
        exc = m.from_wire({"version": 1, "chain": [layer]})
        self.assertEqual(exc.context["d"], dt.timedelta(microseconds=1))  # truncated to microseconds
        again = m.to_wire(exc)["chain"][0]
        self.assertEqual((again["fields"], again["field_types"]), (layer["fields"], layer["field_types"]))
        exc.context["i8"] = 4  # a changed value is sent as Python's
        again = m.to_wire(exc)["chain"][0]
        self.assertEqual((again["fields"]["i8"], "i8" in again["field_types"]), (4, False))

    def test_message_layers_fold_into_the_code_below(self):
        exc = m.from_wire({"version": 1, "chain": [{"message": "starting vm 7"},
                                                   {"code": "VmOverlayError", "message": "overlay"},
                                                   {"message": "qemu-img failed"}]})
        self.assertIsInstance(exc, m.VmOverlayError)  # `except VmOverlayError` catches it
        self.assertEqual(str(exc), "overlay")
        self.assertEqual(m.error_text(exc), "starting vm 7: overlay: qemu-img failed")

    def test_join(self):
        group = ExceptionGroup("batch", [m.VmConfigError("bad"), m.VmBootTimeoutError("slow")])
        self.assertEqual(m.error_text(group), "batch: bad\nslow")
        self.assertEqual(m.retry_of(group), "permanent")
        doc, back = self.hop(group)
        self.assertEqual(doc["chain"][-1]["kind"], "join")
        self.assertIsInstance(back, ExceptionGroup)
        self.assertTrue(m.is_code(back, m.VmBootTimeoutError))
        self.assertEqual([l["kind"] for l in doc["chain"]], ["message", "join"])
        self.assertEqual(doc["chain"][0]["message"], "batch")
        plain = m.from_wire({"version": 1, "chain": [{"causes": [[{"message": "a"}], [{"message": "b"}]]}]})
        self.assertEqual(m.error_text(plain), "a\nb")

    def test_unknown_codes(self):
        doc = {"version": 1, "chain": [{"code": "SocketTransientError", "message": "socket reset",
                                        "ancestors": ["TransientError", "CommunicationError", "SandboxError"],
                                        "parents": ["TransientError", "CommunicationError"]}]}
        exc = m.from_wire(doc)
        self.assertEqual(type(exc).__name__, "SocketTransientError")
        for base in (m.TransientError, m.CommunicationError, m.SandboxError):
            self.assertIsInstance(exc, base)
        self.assertEqual((m.name_of(exc), m.code_of(exc), m.retry_of(exc)), ("SocketTransientError", "TransientError", "transient"))
        again = m.to_wire(exc)["chain"][0]
        self.assertEqual((again["code"], again["ancestors"], again["parents"]),
                         ("SocketTransientError", doc["chain"][0]["ancestors"], doc["chain"][0]["parents"]))
        self.assertIs(type(m.from_wire(doc)), type(exc))  # the class is cached
        # The cache is bounded.
        for i in range(m.UNKNOWN_CLASS_CACHE_SIZE + 10):
            m.from_wire({"version": 1, "chain": [{"code": f"Gen{i}Error", "ancestors": ["AssetError"], "message": "x"}]})
        self.assertLessEqual(len(m._UNKNOWN), m.UNKNOWN_CLASS_CACHE_SIZE)

    def test_python_subclass_travels_as_its_own_code(self):
        class SocketTransientError(m.TransientError, m.CommunicationError):
            pass

        layer = m.to_wire(SocketTransientError("reset"))["chain"][0]
        self.assertEqual(layer["code"], "SocketTransientError")
        self.assertEqual(layer["ancestors"], ["TransientError", "CommunicationError", "SandboxError"])
        self.assertEqual(layer["parents"], ["TransientError", "CommunicationError"])
        self.assertEqual(layer["retry"], "transient")

    def test_every_field_type(self):
        tz = dt.timezone(dt.timedelta(hours=2))
        values = {
            "none": None, "bool": True, "int": -3, "big": 1 << 63, "float": 1.5, "whole": 2.0,
            "nan": float("nan"), "inf": float("-inf"), "str": "é", "raw": b"\xffrawbytes".decode("utf-8", "surrogateescape"),
            "bytes": b"\x00\x01", "time": dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tz),
            "lmt": dt.datetime(1900, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=3658))),
            "far": m.GoTime(316516204800, 1, 0), "dur": dt.timedelta(milliseconds=1500),
            "list": [1, "a", b"b", dt.timedelta(0)], "map": {"k": [1, 2], "t": dt.timedelta(seconds=1)},
        }
        exc = m.GuestAgentError("typed", {})
        exc.context.update(values)
        _, back = self.hop(exc)
        got = m.fields_of(back)
        for k, v in values.items():
            with self.subTest(k):
                if k == "nan":
                    self.assertNotEqual(got[k], got[k])
                else:
                    self.assertEqual(got[k], v)
                    self.assertIs(type(got[k]), type(v))

    def test_refusals_name_the_limit(self):
        cases = [
            (b"", "empty input"),
            (b"{", "not JSON"),
            (b'{"version": 2, "chain": [{"message": "m"}]}', "version 2"),
            (json.dumps({"version": 1, "chain": [{"message": "m" * 200}] * 129}), "MaxDepth (128)"),
            (json.dumps({"version": 1, "chain": [{"message": "m", "fields": {str(i): i for i in range(257)}}]}), "MaxFields (256)"),
            (b"{" + b" " * (1 << 20) + b"}", "MaxEncodedSize (1048576)"),
        ]
        for data, want in cases:
            with self.subTest(want):
                with self.assertRaises(m.WireError) as cm:
                    m.from_wire(data)
                self.assertIn(want, str(cm.exception))
                self.assertIsInstance(cm.exception, ValueError)
        deep = m.SandboxError("x")
        e = deep
        for _ in range(130):
            e.__cause__ = m.SandboxError("x")
            e = e.__cause__
        with self.assertRaises(m.WireError):
            m.to_wire(deep)  # to_wire refuses what from_wire would refuse

    def test_go_durations(self):
        for ns, text in [(0, "0s"), (1, "1ns"), (1500, "1.5\u00b5s"), (250 * 10**6, "250ms"), (1500 * 10**6, "1.5s"),
                         (3600 * 10**9, "1h0m0s"), (61 * 10**9, "1m1s")]:
            self.assertEqual(m.format_go_duration(ns), text)
            self.assertEqual(m.parse_go_duration(text), ns)


if __name__ == "__main__":
    unittest.main()
