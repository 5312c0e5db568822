# model: linear
# label: incorrect
# fault: wrong-axis
# function: grad
# style: sums over the features (axis=1) instead of the examples
import numpy as np


def grad(theta, X, y):
    m = len(y)
    residual = (X @ theta - y).reshape(-1, 1)
    return np.sum(residual * X, axis=1) / m
