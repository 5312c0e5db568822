# model: logistic-l2
# label: incorrect
# fault: summed
# function: grad
# style: the summed cost's gradient: X^T (h - y) + lambda * theta, bias skipped
import numpy as np


def grad(theta, X, y, reg):
    h = 1 / (1 + np.exp(-X @ theta))
    g = X.T @ (h - y)
    g[1:] = g[1:] + reg * theta[1:]
    return g
