# %% [markdown]
# # Why cross-entropy and not squared error?
#
# A blog post in our seeds claims that squared error through a sigmoid gives a non-convex cost,
# while cross-entropy is convex. Here is the claim made visible, then proved: the cross-entropy
# Hessian is derived step by step and shown positive semi-definite on real data, and squared
# error through a sigmoid is shown non-convex at a concrete point.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from sklearn.datasets import load_breast_cancer

import derivation
from derivation.kernels import kernel

data = load_breast_cancer()
features = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
X = np.hstack([np.ones((len(features), 1)), features])
y = data.target.astype(float)
m = len(y)


def stable_sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def squared_error_through_sigmoid(theta):
    return np.sum((stable_sigmoid(X @ theta) - y) ** 2) / (2 * m)


cross_entropy = kernel("logistic").cost

# %% [markdown]
# ## Both costs along a line in θ
# From θ = 0 along a fixed random direction: cross-entropy curves upward everywhere; squared
# error through a sigmoid flattens into plateaus, where its curvature turns negative.

# %%
rng = np.random.default_rng(1)
direction = rng.normal(size=X.shape[1])
direction /= np.linalg.norm(direction)
ts = np.linspace(-40, 40, 401)
ce = np.array([cross_entropy(t * direction, X, y) for t in ts])
se = np.array([squared_error_through_sigmoid(t * direction) for t in ts])

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
axes[0].plot(ts, ce)
axes[0].set_title("cross-entropy J(t·d)")
axes[1].plot(ts, se, color="tab:orange")
axes[1].set_title("squared error through σ, J(t·d)")
for ax in axes:
    ax.set_xlabel("t")
plt.tight_layout()
plt.show()
second_ce = np.diff(ce, 2)
second_se = np.diff(se, 2)
print(f"cross-entropy: curvature along the line never negative: {bool(second_ce.min() >= 0)}")
print(f"squared error: curvature along the line negative somewhere: {bool(second_se.min() < 0)}")

# %% [markdown]
# ## The cross-entropy Hessian, derived
# Differentiating the gradient $\frac{1}{m}\sum_i (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)}$ once
# more by $\theta_l$ gives $\frac{1}{m}\sum_i h(1-h)\,x_j^{(i)}x_l^{(i)}$, that is
# $\frac{1}{m}X^\top \operatorname{diag}(h(1-h))X$:

# %%
hessian_derivation = derivation.derive_hessian("logistic")
hessian_derivation

# %% [markdown]
# Since $0 < h(1-h) \le \frac14$, $v^\top H v = \frac{1}{m}\sum_i h_i(1-h_i)(x^{(i)\top}v)^2 \ge 0$
# for every $v$: the Hessian is positive semi-definite everywhere, so the cost is convex. On the
# breast-cancer data, at a few random θ, its smallest eigenvalue:

# %%
hessian = kernel("logistic").hessian
for seed in range(3):
    theta = np.random.default_rng(seed).normal(size=X.shape[1])
    eigenvalues = np.linalg.eigvalsh(hessian(theta, X, y))
    print(f"θ #{seed}: smallest eigenvalue {eigenvalues.min():.2e} ≥ 0: {bool(eigenvalues.min() >= 0)}")

# %% [markdown]
# ## Squared error through a sigmoid is not convex: a concrete point
# One example, $x = 1$, $y = 0$, cost $f(w) = \frac12\sigma(w)^2$. Derive it twice:

# %%
w = sp.Symbol("w", real=True)
f = derivation.sigmoid(w) ** 2 / 2
first = derivation.derive(f, w)
second = derivation.derive(first.result, w)
second

# %%
curvature = sp.factor(second.result)
at_two = curvature.subs(w, 2)
print("f''(w) =", curvature)
print(f"f''(2) = {float(at_two):.4f} < 0: the squared-error cost curves downward there")
assert float(at_two) < 0
