"""The command line starts without SymPy when it does not need it; the catalog is built on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from derivation.core.catalog import CATALOG, entry
from derivation.models import MODELS, get_model

LIGHT = [
    (["--help"], 0),
    (["models"], 0),
    (["show", "--help"], 0),
    ([], 2),
    (["bogus"], 2),
    (["show"], 2),
    (["show", "nope"], 2),
    (["show", "logistic", "--form", "x"], 2),
    (["show", "sigmoid", "--hessian"], 2),
    (["show", "logistic", "--standalone"], 2),
    (["check", "sigmoid", "--grad", "z"], 2),
    (["check", "logistic", "--grad", "X", "--call", "f(X)"], 2),
    (["kernel", "sigmoid"], 2),
    (["verify", "no-such-file.tex"], 2),
    (["verify", "-", "--hypothesis", "nope"], 2),
]


def imported_modules(*args: str) -> tuple[int, set[str]]:
    """Exit code and every module ``python -X importtime -m derivation ARGS`` imported."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "derivation", *args],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    modules = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    return run.returncode, modules


@pytest.mark.parametrize(("args", "code"), LIGHT, ids=[" ".join(a) or "(none)" for a, _ in LIGHT])
def test_help_models_and_usage_errors_never_import_sympy(args, code):
    returncode, modules = imported_modules(*args)
    assert returncode == code
    assert "derivation.cli" in modules, "the measurement must see the command line's own imports"
    assert not {"sympy", "numpy", "derivation.core.models"} & modules


def test_a_real_command_does_import_sympy():  # the measurement above can see SymPy when it is there
    returncode, modules = imported_modules("show", "sigmoid")
    assert returncode == 0 and "sympy" in modules and "derivation.core.models" in modules


def test_the_package_and_the_step_data_import_without_their_printers():
    code = (
        "import sys, derivation; light = 'sympy' in sys.modules; import derivation.core.steps; "
        "print(light, sorted(m for m in sys.modules if m.startswith('derivation.printing')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False []"


def test_a_derivation_prints_itself_through_the_registered_renderer():
    code = "import derivation; d = derivation.derive_model('sigmoid', verify=False); print(str(d).splitlines()[0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "The sigmoid function: dσ(z)/dz"


def test_derive_stays_the_function_after_its_subpackage_is_imported():
    code = (
        "import derivation, derivation.derive.engine, sympy as sp; w = sp.Symbol('w'); "
        "print(derivation.derive(w ** 2, w, verify=False).result)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "2*w"


@pytest.mark.parametrize("name", CATALOG)
def test_the_light_catalog_agrees_with_the_built_models(name):
    light, model = entry(name), get_model(name)
    assert (model.name, model.title, model.summary) == (light.name, light.title, light.summary)
    assert tuple(model.forms) == light.forms
    assert light.matrix == (model.matrix_cost is not None and model.matrix_gradient is not None)
    assert light.hessian == (model.matrix_hessian is not None)
    assert MODELS[name] is model, "built once, then kept"


def test_models_is_a_read_only_mapping_of_the_catalog():
    assert list(MODELS) == list(CATALOG) and len(MODELS) == len(CATALOG)
    assert "logistic" in MODELS and "nope" not in MODELS
    with pytest.raises(KeyError):
        MODELS["nope"]
    with pytest.raises(KeyError, match="the catalog has: logistic, logistic-l2, linear, sigmoid"):
        get_model("nope")
    with pytest.raises(TypeError):
        MODELS["new"] = MODELS["linear"]  # type: ignore[index]
