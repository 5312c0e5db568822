# model: linear
# label: incorrect
# fault: transposed
# function: grad
# style: column vectors, returns error^T X, a (1, n+1) row
import numpy as np


def grad(theta, X, y):
    m = X.shape[0]
    err = X @ theta.reshape(-1, 1) - y.reshape(-1, 1)
    return err.T @ X / m
