import numpy as np


def grad(theta, X, y):
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (h - y) / undefined_m
