# model: logistic
# label: incorrect
# fault: inner-derivative
# function: gradient
# style: loops; the x_j factor of the chain rule is forgotten
import numpy as np


def gradient(theta, X, y):
    m, n = X.shape
    grad = np.zeros(n)
    for j in range(n):
        total = 0.0
        for i in range(m):
            h = 1.0 / (1.0 + np.exp(-np.dot(X[i], theta)))
            total += h - y[i]
        grad[j] = total / m
    return grad
