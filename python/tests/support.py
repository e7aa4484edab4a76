"""Helpers of the Python tests: the generated module and the seed, imported by path."""

import importlib.util
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = HERE.parent
ROOT = PYTHON.parent
VECTORS = ROOT / "testdata" / "conformance" / "v1"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generated = load("sandbox_exceptions", PYTHON / "sandbox_exceptions.py")
seed = load("seed_sandbox_exceptions", HERE / "testdata" / "seed_sandbox_exceptions.py")
