"""Code written against the seed's module runs unchanged against the generated one."""

import inspect
import unittest

from support import generated as gen, seed


def seed_classes():
    return {n: c for n, c in vars(seed).items() if isinstance(c, type) and issubclass(c, Exception)}


class SeedCompatibility(unittest.TestCase):
    def test_every_seed_class_and_parent(self):
        for name, cls in seed_classes().items():
            if cls.__name__ != name:
                continue  # an alias: see test_aliases
            with self.subTest(name):
                got = getattr(gen, name, None)
                self.assertIsNotNone(got, f"the generated module lacks {name}")
                self.assertEqual(got.__name__, name)
                self.assertEqual([b.__name__ for b in got.__bases__], [b.__name__ for b in cls.__bases__])
                self.assertEqual([k.__name__ for k in got.__mro__], [k.__name__ for k in cls.__mro__])

    def test_aliases(self):
        for name, cls in seed_classes().items():
            if cls.__name__ == name:
                continue
            with self.subTest(name):
                self.assertIs(getattr(gen, name), getattr(gen, cls.__name__))

    def test_signatures(self):
        for name, cls in seed_classes().items():
            with self.subTest(name):
                want = inspect.signature(cls)
                got = inspect.signature(getattr(gen, name))
                self.assertEqual(got, want)
                self.assertEqual(str(got), str(want))

    def test_docstrings(self):
        # The generated docstrings are the codes' Doc (CODES.md's "meaning"), not the seed's prose:
        # every class has one, and the staleness test ties them to the registry.
        for name in seed_classes():
            with self.subTest(name):
                doc = getattr(gen, name).__doc__
                self.assertIsInstance(doc, str)
                self.assertTrue(doc.strip())

    def test_behaviour(self):
        calls = [
            ("SandboxError", ("boom",), {}),
            ("SandboxError", ("boom", {"k": 1}), {}),
            ("SandboxError", ("boom",), {"context": None}),
            ("VmBootTimeoutError", ("slow", {"vm": 7}), {}),
            ("VmOverlayError", ("overlay",), {}),
            ("VmOverlayError", ("overlay", {"vm": 7}, "no space", "GenericError"), {}),
            ("VmOverlayError", ("overlay",), {"stderr": "e", "error_class": None}),
            ("QemuImgError", ("img",), {"stderr": "x"}),
            ("SocketAuthError", ("hijack", 1000, 0), {}),
            ("SocketAuthError", ("hijack", 1000, 0, {"path": "/s"}), {}),
            ("SocketAuthError", ("hijack",), {"expected_uid": 1, "actual_uid": 2, "context": {"a": 1}}),
            ("GuestAgentError", ("agent", {"exit": 1}), {}),
            ("GuestAgentError", ("agent",), {"response": {}}),
            ("VmError", ("dead",), {}),
            ("AssetNotFoundError", ("nope", {}), {}),
        ]
        attrs = ("message", "context", "args", "stderr", "error_class", "expected_uid", "actual_uid", "response")
        for name, args, kwargs in calls:
            with self.subTest(name=name, args=args, kwargs=kwargs):
                want = getattr(seed, name)(*args, **kwargs)
                got = getattr(gen, name)(*args, **kwargs)
                self.assertEqual(str(got), str(want))
                self.assertEqual(repr(got).split("(", 1)[1], repr(want).split("(", 1)[1])
                for a in attrs:
                    self.assertEqual(getattr(got, a, "<none>"), getattr(want, a, "<none>"), a)

    def test_wrong_calls_fail_alike(self):
        for name, args, kwargs in [
            ("SocketAuthError", ("m",), {}),
            ("GuestAgentError", ("m",), {"context": {}}),
            ("SandboxError", (), {}),
            ("VmOverlayError", ("m", None, "", None, "extra"), {}),
        ]:
            with self.subTest(name):
                with self.assertRaises(TypeError):
                    getattr(seed, name)(*args, **kwargs)
                with self.assertRaises(TypeError):
                    getattr(gen, name)(*args, **kwargs)

    def test_except_clauses(self):
        try:
            raise gen.VmPermanentError("x")
        except gen.VmError as e:
            self.assertIsInstance(e, gen.PermanentError)
        self.assertTrue(issubclass(gen.VmCapacityError, gen.TransientError))


if __name__ == "__main__":
    unittest.main()
