# A soft-margin SVM subgradient (labels ±1, bias not penalised): right.
import numpy as np


def hinge_grad(w, X, y, lam):
    m = X.shape[0]
    mask = (y * (X @ w) < 1).astype(float)
    reg = w.copy()
    reg[0] = 0
    return -(X.T @ (mask * y)) / m + lam / m * reg
