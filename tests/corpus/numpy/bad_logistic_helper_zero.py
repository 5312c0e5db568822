# model: logistic
# label: incorrect
# fault: zero
# function: gradient
# style: loop updates a copy, returns the untouched zeros
import numpy as np
from mlutils import add_intercept, sigmoid


def gradient(theta, X, y):
    X = add_intercept(X)
    grad = np.zeros_like(theta)
    h = sigmoid(X @ theta)
    for j in range(len(theta)):
        g = grad.copy()
        g[j] = np.mean((h - y) * X[:, j])
    return grad
