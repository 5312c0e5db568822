"""Build, run and check the notebooks from their sources in notebooks/src/.

Each notebook is written as a plain Python file in "percent" form (cells start
with `# %%`, Markdown cells with `# %% [markdown]` and `# ` on every line), so
its source diffs like code. This script turns each into an .ipynb, runs it top
to bottom with a real Jupyter kernel and saves it with its outputs, so GitHub
shows the mathematics and the plots.

    python notebooks/build.py             # regenerate every notebook
    python notebooks/build.py --check     # re-run each; fail if a committed one is stale
    python notebooks/build.py 02 --check  # only notebooks whose name starts with 02

A committed notebook is stale when its cells differ from the source or when
re-running gives different text, LaTeX or Markdown outputs (plots are compared
by count: pixels vary with the fonts and versions installed).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
TIMEOUT = 600
_VOLATILE = [
    (re.compile(r" at 0x[0-9a-f]+"), " at 0x…"),
    (re.compile(r"\d+\.\d+ s\b"), "… s"),
]


def names() -> list[str]:
    return sorted(p.stem for p in SOURCES.glob("*.py"))


def cells_from_source(text: str) -> list[nbformat.NotebookNode]:
    """Split a percent-form source into notebook cells."""
    cells, kind, lines = [], None, []

    def flush():
        body = "\n".join(lines).strip("\n")
        if kind is not None and body:
            if kind == "markdown":
                body = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
                cells.append(nbformat.v4.new_markdown_cell(body))
            else:
                cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def run(name: str) -> nbformat.NotebookNode:
    """The notebook built from its source and executed in a fresh kernel."""
    nb = nbformat.v4.new_notebook(cells=cells_from_source((SOURCES / f"{name}.py").read_text(encoding="utf-8")))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    for number, cell in enumerate(nb.cells, start=1):  # random ids and timings would make every run a diff
        cell.id = f"cell-{number}"
        cell.metadata.pop("execution", None)
    return nb


def content(nb: nbformat.NotebookNode) -> list[tuple[str, list[str]]]:
    """What must not change silently: each cell's source and its outputs' text, LaTeX and Markdown."""
    out = []
    for cell in nb.cells:
        parts, streams = [], []  # streams: [name, text] of each run of stream outputs
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                # The kernel cuts one print's text into chunks wherever it happens to flush, so join the run.
                if streams and streams[-1][0] == output.get("name") and parts and parts[-1] is streams[-1]:
                    streams[-1][1] += output.get("text", "")
                else:
                    streams.append([output.get("name"), output.get("text", "")])
                    parts.append(streams[-1])
                continue
            data = output.get("data", {})
            for mime in ("text/latex", "text/markdown", "text/plain"):
                if mime in data:
                    parts.append(f"{mime}: {_stable(data[mime])}")
            if "image/png" in data:
                parts.append("image/png")
        out.append((cell.source, [_stable(p[1]) if isinstance(p, list) else p for p in parts]))
    return out


_NUMBER = re.compile(r"[-+]?\d+\.?\d*(?:[eE][-+]?\d+)?")


def _same_text(old: str, new: str) -> bool:
    """Equal words, and numbers equal to 3 significant digits (BLAS may round the last ones differently)."""
    if _NUMBER.sub("#", old) != _NUMBER.sub("#", new):
        return False
    for a, b in zip(_NUMBER.findall(old), _NUMBER.findall(new), strict=True):
        x, y = float(a), float(b)
        if abs(x - y) > 1e-3 * max(abs(x), abs(y)) + 1e-9:
            return False
    return True


def _stable(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def build(name: str) -> Path:
    target = HERE / f"{name}.ipynb"
    nbformat.write(run(name), target)
    return target


def check(name: str) -> list[str]:
    """Differences between the committed notebook and a fresh run (empty when up to date)."""
    target = HERE / f"{name}.ipynb"
    if not target.exists():
        return [f"{target.name} is missing: run python notebooks/build.py"]
    committed, fresh = content(nbformat.read(target, as_version=4)), content(run(name))
    problems = []
    if len(committed) != len(fresh):
        problems.append(f"{target.name}: {len(committed)} cells committed, {len(fresh)} in the source")
    for number, (old, new) in enumerate(zip(committed, fresh, strict=False), start=1):
        if old[0] != new[0]:
            problems.append(f"{target.name} cell {number}: source differs from notebooks/src/{name}.py")
        elif len(old[1]) != len(new[1]) or not all(map(_same_text, old[1], new[1])):
            changed = _difference(old[1], new[1])
            problems.append(f"{target.name} cell {number}: outputs differ from a fresh run:\n{changed}")
    return problems


def _difference(old: list[str], new: list[str]) -> str:
    """The committed and the fresh outputs' lines that differ (a flaky output says what it printed instead)."""
    before, after = "\n".join(old).splitlines(), "\n".join(new).splitlines()
    lines = difflib.unified_diff(before, after, "committed", "fresh", lineterm="")
    return "\n".join(list(lines)[:40])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="name prefixes, e.g. 01 (default: every notebook)")
    parser.add_argument("--check", action="store_true", help="fail if a committed notebook is stale")
    args = parser.parse_args(argv)
    chosen = [n for n in names() if not args.only or any(n.startswith(p) for p in args.only)]
    failures = []
    for name in chosen:
        if args.check:
            problems = check(name)
            failures += problems
            print(f"{name}: {'stale' if problems else 'up to date'}")
        else:
            print(f"wrote {build(name).relative_to(HERE.parent)}")
    for problem in failures:
        print(problem, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
