# model: logistic-l2
# label: correct
# function: gradient_reg
# style: loops, j = 0 handled apart from j >= 1
import numpy as np


def gradient_reg(theta, X, y, lam):
    m, n = X.shape
    grad = np.zeros(n)
    h = 1 / (1 + np.exp(-(X @ theta)))
    for j in range(n):
        s = 0
        for i in range(m):
            s += (h[i] - y[i]) * X[i, j]
        if j == 0:
            grad[j] = s / m
        else:
            grad[j] = s / m + lam / m * theta[j]
    return grad
