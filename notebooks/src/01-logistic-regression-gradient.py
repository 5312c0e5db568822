# %% [markdown]
# # The gradient of the logistic-regression cost, step by step
#
# *"How is the derivative obtained? Which are the intermediary steps? I tried and got something
# completely different."* — a student of the Coursera machine-learning course.
#
# The cost is
# $J(\theta) = -\frac{1}{m}\sum_{i=1}^{m}\left[y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log\left(1-h_\theta(x^{(i)})\right)\right]$
# with $h_\theta(x) = \sigma(\theta^\top x)$. `derivation` writes the derivative as a chain of
# equalities, each labelled with the one rule it applied, and a checker that trusts no rule proves
# every `=` again.

# %%
import derivation

d = derivation.derive_model("logistic")
d

# %% [markdown]
# Every step was checked on its own: symbolically where SymPy can show the difference is 0, by
# sampling random data at $m=3$, $n=2$ (every $j$) otherwise. The checker expands $h_\theta$, writes
# $\sigma$ with $e^{-z}$ and differentiates with SymPy's own `diff`, so it does not lean on the
# rule it checks.

# %%
from derivation.printing import step_label

for number, step in enumerate(d.steps, start=1):
    print(f"{number:2d}. {step_label(step):32s} {step.verdict.status} ({step.verdict.method})")
for check in d.checks:
    print(f"result vs {check.name}: {check.verdict.status}")

# %% [markdown]
# ## Where σ′ = σ(1 − σ) comes from
# The same engine differentiates the sigmoid itself, with the steps of a well-known blog post:
# reciprocal rule, chain rule, then "add and subtract 1" and "split the fraction".

# %%
derivation.derive_model("sigmoid")

# %% [markdown]
# ## The matrix form
# The last step vectorises the sum: $\frac{1}{m}\sum_i (h_\theta(x^{(i)}) - y^{(i)})\,x_j^{(i)}$ is
# the $j$-th entry of $\frac{1}{m}X^\top(\sigma(X\theta) - y)$, the formula to put in code.

# %%
from IPython.display import Math

Math(derivation.render_expr(d.result, "latex"))

# %% [markdown]
# ## Export in two lines
# LaTeX for a paper or a course handout (`standalone=True` gives a document that compiles with
# pdflatex), Markdown for GitHub or a Q&A site:

# %%
latex = derivation.render(d, "latex")
markdown = derivation.render(d, "markdown")
print(latex.splitlines()[0], "…", f"({len(latex.splitlines())} lines)")
print(markdown.splitlines()[0])

# %% [markdown]
# The same from a terminal: `derivation show logistic --format latex --standalone -o logistic.tex`.
