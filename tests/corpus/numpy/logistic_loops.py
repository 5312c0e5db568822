# model: logistic
# label: correct
# function: gradient
# style: plain Python loops over examples and features, math.exp, X with the ones column
import math
import numpy as np


def gradient(X, y, theta):
    m = len(X)
    n = len(theta)
    grad = [0.0] * n
    for i in range(m):
        z = 0.0
        for j in range(n):
            z += theta[j] * X[i][j]
        h = 1.0 / (1.0 + math.exp(-z))
        for j in range(n):
            grad[j] += (h - y[i]) * X[i][j]
    for j in range(n):
        grad[j] = grad[j] / m
    return np.array(grad)
