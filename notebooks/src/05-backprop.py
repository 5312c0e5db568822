# %% [markdown]
# # Backpropagation through a two-layer network, step by step
#
# The network of every introductory course (CS231n's `TwoLayerNet` among them): a batch $X$
# of $m$ examples, one per row, an affine layer, a ReLU, a second affine layer, softmax and
# cross-entropy, and an L2 penalty on the weights:
#
# $$Z_1 = XW_1 + \mathbf{1}b_1^\top,\quad A_1 = \mathrm{ReLU}(Z_1),\quad Z_2 = A_1W_2 + \mathbf{1}b_2^\top,\quad
# J = -\tfrac{1}{m}\sum_i \log P_{i,y_i} + \tfrac{\lambda}{2}\left(\lVert W_1\rVert^2 + \lVert W_2\rVert^2\right)$$
#
# with $P = \mathrm{softmax}(Z_2)$ row by row. `derivation` derives $\partial J/\partial W_1$,
# $\partial J/\partial b_1$, $\partial J/\partial W_2$ and $\partial J/\partial b_2$ as the
# backprop recurrences courses write, one named rule per step
# (from a terminal: `derivation show mlp --activation relu --l2 half`).

# %%
from derivation.nets.backprop import derive_network
from derivation.nets.kernel import backward_lines, compile_kernel
from derivation.nets.network import Network

net = Network(hidden="relu", output="softmax", l2="half")
d = derive_network(net)
d

# %% [markdown]
# Each step was checked on its own by finite differences on small random networks (no step
# trusts the rule it applies), and so was the whole gradient. ReLU has a kink at 0: the
# derivation uses the subgradient $\mathbf{1}[Z_1 > 0]$, as the frameworks do, and the checks
# keep their random draws away from it.

# %%
from derivation.printing import step_label

for number, step in enumerate(d.steps, start=1):
    print(f"{number:2d}. {step_label(step):58s} {step.verdict.status} ({step.verdict.method})")
for check in d.checks:
    print(f"result vs {check.name}: {check.verdict.status}")

# %% [markdown]
# ## The generated kernel
# `derivation kernel mlp` writes a NumPy module (`forward`, `loss`, `backward`,
# `value_and_grad`) whose backward pass is printed from those steps, one line per step:

# %%
print("\n".join(backward_lines(net)))
k = compile_kernel(net)

# %% [markdown]
# ## Training on scikit-learn's digits
# 1797 handwritten digits of 8×8 pixels: 64 features, 10 classes, bundled with scikit-learn.
# We hold out a quarter for testing and standardise each pixel with the training set's mean
# and spread (pixels that are always 0 are left at 0).

# %%
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
mean, spread = X_train.mean(axis=0), X_train.std(axis=0)
spread[spread == 0] = 1.0
X_train, X_test = (X_train - mean) / spread, (X_test - mean) / spread
m, n = X_train.shape
h, K, reg = 32, 10, 1e-2
print(f"{m} training and {len(X_test)} test examples, n = {n} features, h = {h} hidden units, K = {K} classes")

# %% [markdown]
# SciPy's L-BFGS-B wants one flat vector of parameters and $(J, \nabla J)$ for it:
# `value_and_grad` gives both from one forward and one backward pass. The weights start
# small and random (He initialisation, seeded), the biases at 0. We stop after 150 iterations.

# %%
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

rng = np.random.default_rng(0)
start = {
    "W1": rng.normal(0, np.sqrt(2 / n), (n, h)),
    "b1": np.zeros(h),
    "W2": rng.normal(0, np.sqrt(2 / h), (h, K)),
    "b2": np.zeros(K),
}
names = list(start)
cuts = np.cumsum([start[p].size for p in names])[:-1]


def unflatten(theta):
    return {p: part.reshape(start[p].shape) for p, part in zip(names, np.split(theta, cuts), strict=True)}


def cost_and_gradient(theta):
    J, grads = k.value_and_grad(unflatten(theta), X_train, y_train, reg=reg)
    return J, np.concatenate([grads[p].ravel() for p in names])


history = {"training cost J": [], "training cross-entropy": [], "test cross-entropy": []}


def record(theta):
    params = unflatten(theta)
    history["training cost J"].append(k.loss(params, X_train, y_train, reg=reg))
    history["training cross-entropy"].append(k.loss(params, X_train, y_train))  # reg = 0: no penalty
    history["test cross-entropy"].append(k.loss(params, X_test, y_test))


theta0 = np.concatenate([start[p].ravel() for p in names])
record(theta0)
with threadpool_limits(limits=1):  # matrices this small: BLAS threads cost more in waiting than they save
    result = minimize(cost_and_gradient, theta0, jac=True, method="L-BFGS-B", callback=record, options={"maxiter": 150})
params = unflatten(result.x)


def accuracy(features, labels):
    return np.mean(k.forward(params, features)["Z2"].argmax(axis=1) == labels)


print(f"{result.nit} L-BFGS-B iterations; final cost J = {result.fun:.4f}", end=", ")
print(
    f"training cross-entropy {history['training cross-entropy'][-1]:.4f}, test {history['test cross-entropy'][-1]:.4f}"
)
print(f"train accuracy {accuracy(X_train, y_train):.1%}, test accuracy {accuracy(X_test, y_test):.1%}")

# %% [markdown]
# The dashed curve is what L-BFGS-B minimises; its distance above the training cross-entropy
# is the L2 penalty $\frac{\lambda}{2}(\lVert W_1\rVert^2 + \lVert W_2\rVert^2)$, which keeps
# the weights small and the test cross-entropy near the training one.

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3.5))
for label, values in history.items():
    ax.semilogy(values, label=label, linestyle="--" if label.endswith("J") else "-")
ax.set_xlabel("L-BFGS-B iteration")
ax.set_ylabel("loss")
ax.set_title("Two-layer ReLU network on digits")
ax.legend()
plt.show()

# %% [markdown]
# ## Checking a user's backprop
# A backward pass written by hand in the CS231n style. It runs, its shapes are right and
# its loss is right, so nothing looks wrong. But it multiplies `dscores` by
# `probs * (1 - probs)`: the output's derivative counted a second time, although softmax
# with cross-entropy already gives $P - Y$ (the derivation's first step).
#
# `check_mlp` (from a terminal: `derivation check mlp --python two_layer_net.py:loss`) reads
# the file without importing it, runs the function in a separate process on small random
# networks, compares each gradient with the derived one and names the slip.

# %%
import tempfile
from pathlib import Path

from derivation.nets.check import check_mlp

user_code = """import numpy as np


def loss(params, X, y, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

    grads = {}
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores *= probs * (1 - probs)
    dscores /= N
    grads["W2"] = hidden.T.dot(dscores) + reg * W2
    grads["b2"] = np.sum(dscores, axis=0)
    dhidden = dscores.dot(W2.T)
    dhidden[hidden <= 0] = 0
    grads["W1"] = X.T.dot(dhidden) + reg * W1
    grads["b1"] = np.sum(dhidden, axis=0)
    return loss, grads
"""
folder = tempfile.TemporaryDirectory()
user_file = Path(folder.name) / "two_layer_net.py"
user_file.write_text(user_code)
report = check_mlp(f"{user_file}:loss")
print(report.render("text"))

# %% [markdown]
# The report says which network it took the code for and what decided each part, how it
# called the function, and, per parameter, what is wrong, with an entry that differs on a
# dataset small enough to work by hand. All four gradients are wrong for one slip, because
# every one of them is computed from $\delta^{(2)}$. Delete the extra line and check again:

# %%
user_file.write_text(user_code.replace("    dscores *= probs * (1 - probs)\n", ""))
report = check_mlp(f"{user_file}:loss")
print(report.render("text"))
print("exit code", report.exit_code)

# %%
folder.cleanup()
