# model: logistic
# label: incorrect
# fault: transposed
# function: grad
# style: columns, (h - y)^T X gives a (1, n+1) row
import numpy as np


def grad(theta, X, y):
    m = X.shape[0]
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    h = 1 / (1 + np.exp(-X @ theta))
    return ((h - y).T @ X) / m
