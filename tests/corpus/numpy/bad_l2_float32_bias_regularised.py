# model: logistic-l2
# label: incorrect
# fault: bias-regularised
# function: grad32
# style: float32, penalty on every weight including the bias w[0]
import numpy as np


def grad32(w, X, y, lam):
    X = X.astype(np.float32)
    w = w.astype(np.float32)
    p = 1 / (1 + np.exp(-X @ w))
    return X.T @ (p - y.astype(np.float32)) / np.float32(len(y)) + np.float32(lam / len(y)) * w
