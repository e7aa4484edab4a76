"""The Python side of the Go test TestPythonHTTP (python_http_test.go): errors over HTTP both ways.

    python3 http_peer.py client BASE_URL   < names.json   # urllib against the Go server
    python3 http_peer.py server            < statuses.json # http.server on 127.0.0.1, a free port

client: for each case name read from stdin (a JSON array), GET BASE_URL/case/NAME, decode the
problem document with from_wire and print, as one JSON object, each case's answers (see answers
below) with the response's status, Content-Type and Retry-After.

server: serve the exceptions of CASES, each made here in Python, as WIRE.md's HTTP section says:
GET /case/NAME answers with an RFC 9457 problem document whose extension members are to_wire's,
Content-Type application/problem+json, the status of the outermost code (stdin holds Go's table
of code name -> HTTP status, as this module has no such table) or 500, and a Retry-After header
of retry_after_of in whole seconds, rounded up, at most 86400. GET /answers gives each case's
answers for the exception as Python holds it. The first line on stdout is "listening PORT".

Standard library only; the module is python/sandbox_exceptions.py, found from this file's path.
"""

import base64
import datetime as dt
import http
import http.server
import importlib.util
import json
import math
import pathlib
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("sandbox_exceptions", HERE.parent / "sandbox_exceptions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


m = _load()
CATALOG = [c[0] for c in m._CATALOG]
ALIASES = [a for a, _ in m._ALIASES]


# ---- answers: what the module says of an exception, in the shape Go's test reports its own ----

def canon(v):
    """A field value in the conformance manifest's canonical JSON (testdata/conformance/v1/README.md),
    but that a datetime or timedelta, which hold microseconds, is {"time_us": [seconds, microseconds,
    offset]} or {"duration_us": microseconds}: the Go test compares Go's nanoseconds truncated there."""
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
        return {"time_us": [us // 10**6, us % 10**6, int(v.utcoffset().total_seconds())]}
    if isinstance(v, dt.timedelta):
        return {"duration_us": m._ns(v) // 1000}
    if isinstance(v, list):
        return [canon(e) for e in v]
    if isinstance(v, dict):
        return {k: canon(e) for k, e in v.items()}
    return v


def answers(exc):
    text = m.error_text(exc)
    out = {"error": text}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        out["error"] = raw.decode("utf-8", "replace")
        out["error_base64"] = base64.b64encode(raw).decode()
    fields = m.fields_of(exc)
    out.update({
        "code": m.code_of(exc),
        "name": m.name_of(exc),
        "ancestors": m.ancestors_of(exc),
        "retry": m.retry_of(exc),
        "retryable": m.is_retryable(exc),
        "retry_after": m.format_go_duration(m._ns(m.retry_after_of(exc))),
        "is": {n: m.is_code(exc, getattr(m, n)) for n in CATALOG},
        "fields": {k: {"type": type(v).__name__, "value": canon(v)} for k, v in fields.items()} or None,
    })
    return out


# ---- client: urllib against the Go server ----

def client(base, names):
    out = {}
    for name in names:
        url = base + "/case/" + urllib.parse.quote(name, safe="")
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                status, headers, body = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:  # every error status lands here
            status, headers, body = err.code, err.headers, err.read()
        try:
            got = answers(m.from_wire(body))
        except m.WireError as err:
            got = {"refused": str(err)}
        got["http"] = {"status": status, "content_type": headers.get("Content-Type"),
                       "retry_after": headers.get("Retry-After")}
        out[name] = got
    return out


# ---- server: the exceptions Python sends ----

class VmSnapshotRestoreError(m.VmTransientError):
    """A code the Go registry lacks, with one known base."""


class SocketTransientError(m.TransientError, m.CommunicationError):
    """A code the Go registry lacks, with several known bases."""


class FlakyConfigError(m.VmConfigError, m.VmTransientError):
    """Several bases that decide retry differently: the first in the MRO that decides wins."""


def raised(exc, cause=None):
    """exc with a traceback (its stack on the wire) and cause as __cause__."""
    try:
        raise exc from cause
    except BaseException as e:  # noqa: B036 - caught to keep its traceback
        return e


def code_case(name):
    cls = getattr(m, name)
    msg = f"{name} from python"
    if name == "SocketAuthError":
        return cls(msg, 1000, 0, {"socket": "/run/agent.sock"})
    if name == "GuestAgentError":
        return cls(msg, {"exit_code": 3, "stdout": "partial"})
    if name == "VmOverlayError":
        return cls(msg, {"vm": 7}, stderr="no space left", error_class="GenericError")
    return cls(msg)


def relayed(vector):
    """The exception decoded from a conformance vector, sent on: its fields as they came."""
    return m.from_wire((ROOT / "testdata" / "conformance" / "v1" / vector).read_bytes())


def python_fields():
    tz = dt.timezone(dt.timedelta(hours=2))
    values = {
        "none": None, "bool": True, "int": -3, "big": 1 << 63, "float": 1.5, "whole": 2.0,
        "nan": float("nan"), "inf": float("-inf"), "str": "\u00e9t\u00e9",
        "raw": b"qemu-img: \xff\xfe raw".decode("utf-8", "surrogateescape"),
        "bytes": b"\x00\x01\xff", "empty_bytes": b"", "time": dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tz),
        "lmt": dt.datetime(1850, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=3658))),
        "far": m.GoTime(316516204800, 1, 0), "dur": dt.timedelta(milliseconds=1500),
        "list": [1, "a", b"b", dt.timedelta(0), None], "map": {"k": [1, 2], "t": dt.timedelta(seconds=1)},
        "strings": ["a", "b"], "nested": {"x": {"y": [1.5, True]}},
    }
    return m.SnapshotError("typed fields", dict(values))  # the context: one field per value


def cases():
    out = {}
    for name in CATALOG:
        out["code/" + name] = code_case(name)
    for alias in ALIASES:
        # An alias is the same class object in Python: only a decoded exception keeps the name.
        out["alias/" + alias] = m.from_wire({"version": 1, "chain": [{"code": alias, "message": alias + " from python"}]})
    out["unknown"] = raised(VmSnapshotRestoreError("restore snap-42: memory image truncated"))
    out["unknown-bases"] = SocketTransientError("socket reset")
    out["unknown-bases-retry"] = FlakyConfigError("config flapped")
    overlay = raised(m.VmOverlayError("overlay", stderr="no space"), raised(OSError(28, "disk full")))
    out["cause-chain"] = raised(m.SandboxError("starting vm 7"), overlay)
    out["cause-chain-plain-outer"] = raised(RuntimeError("runner"), m.PermanentError("gave up"))
    group = ExceptionGroup("batch", [m.VmConfigError("bad vcpu"), m.VmBootTimeoutError("slow"),
                                     SocketTransientError("reset")])
    out["join"] = group
    out["join-wrapped"] = raised(m.AssetError("fetching assets"),
                                 ExceptionGroup("downloads", [m.AssetChecksumError("sha256 mismatch"),
                                                              m.VmCapacityError("pool full")]))
    out["fields-python"] = python_fields()
    for v in ("fields-scalars.json", "fields-special.json", "fields-collections.json",
              "fields-json-values.json", "coded-wrap-chain.json"):
        out["fields-relayed/" + v] = relayed(v)
    return out


def problem(exc, statuses):
    doc = m.to_wire(exc)
    name = m.name_of(exc)
    status = statuses.get(m.code_of(exc), 500)
    text = m.error_text(exc).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    head = {"type": "urn:errcode:" + urllib.parse.quote(name, safe="") if name else "about:blank",
            "title": name or http.HTTPStatus(status).phrase, "status": status, "detail": text}
    return status, m._dumps({**head, **doc})


def server(statuses):
    made = cases()
    bodies = {n: problem(e, statuses) for n, e in made.items()}
    report = json.dumps({n: answers(e) for n, e in made.items()}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = urllib.parse.unquote(self.path)
            if path == "/answers":
                self.send(200, "application/json", report)
            elif path.startswith("/case/") and path[len("/case/"):] in bodies:
                exc = made[path[len("/case/"):]]
                status, body = bodies[path[len("/case/"):]]
                after = m.retry_after_of(exc)
                extra = {}
                if after:
                    extra["Retry-After"] = str(min(86400, math.ceil(after / dt.timedelta(seconds=1))))
                self.send(status, "application/problem+json", body, extra)
            else:
                self.send(404, "text/plain", b"no such case: " + path.encode())

        def send(self, status, ctype, body, extra=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("listening", srv.server_address[1], flush=True)
    srv.serve_forever()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "client":
        json.dump(client(sys.argv[2], json.load(sys.stdin)), sys.stdout)
    elif len(sys.argv) == 2 and sys.argv[1] == "server":
        server(json.load(sys.stdin))
    else:
        sys.exit("usage: http_peer.py client BASE_URL < names.json | http_peer.py server < statuses.json")


if __name__ == "__main__":
    main()
