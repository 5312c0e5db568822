# model: logistic
# label: correct
# function: grad_fn
# style: float32 arithmetic throughout (GPU habit), (w, X, y) order
import numpy as np


def grad_fn(w, X, y):
    X = X.astype(np.float32)
    y = y.astype(np.float32)
    w = w.astype(np.float32)
    p = 1.0 / (1.0 + np.exp(-X @ w))
    return (X.T @ (p - y) / np.float32(X.shape[0])).astype(np.float32)
