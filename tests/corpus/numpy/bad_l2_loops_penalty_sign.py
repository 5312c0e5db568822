# model: logistic-l2
# label: incorrect
# fault: sign
# function: gradient_reg
# style: loops; the penalty subtracted instead of added (its sign flipped), bias excluded
import numpy as np


def gradient_reg(theta, X, y, lam):
    m, n = X.shape
    h = 1 / (1 + np.exp(-X.dot(theta)))
    grad = np.zeros(n)
    for j in range(n):
        grad[j] = np.sum((h - y) * X[:, j]) / m
        if j > 0:
            grad[j] -= lam / m * theta[j]
    return grad
