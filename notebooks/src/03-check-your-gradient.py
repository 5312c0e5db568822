# %% [markdown]
# # Check your gradient, check your derivation
#
# The student in our Q&A thread "got something completely different" and nobody could tell
# them where it went wrong. Numeric gradient checkers compare numbers; `derivation` also says
# *what* is wrong and *where*.
#
# ## A NumPy gradient from the thread
# An answer in the thread offers this `compute_grad`, exactly as posted: it imports `numpy` but
# calls `np`, and (as we will see) its sign is flipped.

# %%
from pathlib import Path

import derivation

posted = """import numpy
def sig(z):
    return 1/(1+np.e**-(z))


def compute_grad(X, y, w):
    m = X.shape[0]
    Z = w.dot(X.T)
    A = sig(Z)
    return  (-1/ m) * (X.T * (A - y)).sum(axis=1)
"""
Path("compute_grad.py").write_text(posted)
derivation.check_gradient("logistic", python="compute_grad.py:compute_grad")

# %% [markdown]
# Your code runs in a separate process with a time limit, so a crash, a hang or a `NameError`
# is a report, never our crash. Fix the import and check again: now the verdict is a named
# fault and a counterexample small enough to work by hand.

# %%
Path("compute_grad.py").write_text(posted.replace("import numpy\n", "import numpy as np\n"))
derivation.check_gradient("logistic", python="compute_grad.py:compute_grad")

# %% [markdown]
# The matrix form from the same thread, typed as an expression or as LaTeX, is correct:

# %%
derivation.check_gradient("logistic", grad="1/m * X.T @ (sigmoid(X @ theta) - y)")

# %%
derivation.check_gradient("logistic", latex=r"\frac{1}{m} X^T\big(\sigma(X\theta)-y\big)")

# %% [markdown]
# ## A derivation with one wrong step
# A student's derivation of σ′, with a classic slip in the last line. `verify_text` checks every
# `=` on its own and points at the first wrong step, with a point where the two sides differ.

# %%
student = r"""
\begin{align*}
\frac{d}{dz}\sigma(z) &= \frac{d}{dz}\left(\frac{1}{1+e^{-z}}\right) \\
&\underset{\text{chain rule}}{=} \frac{e^{-z}}{(1+e^{-z})^2} \\
&= \frac{1}{1+e^{-z}}\cdot\frac{e^{-z}}{1+e^{-z}} \\
&= \sigma(z)^2
\end{align*}
"""
report = derivation.verify_text(student)
print(report)

# %% [markdown]
# The same report as the student's own derivation, annotated with a ✓ or ✗ and a reason beside
# each `=` (also available as a LaTeX document: `derivation verify my.tex --format latex --standalone`):

# %%
report

# %% [markdown]
# From a terminal: `derivation check logistic --python my_grad.py:compute_grad` and
# `derivation verify my_derivation.tex`.

# %%
Path("compute_grad.py").unlink()
