import numpy as np


def svm_subgradient(theta, X, y, lam):
    m = X.shape[0]
    mask = (y * (X @ theta) < 1).astype(float)
    grad = -(X.T @ mask) / m  # forgot the labels
    reg = theta.copy()
    reg[0] = 0
    return grad + lam / m * reg


def svm_subgradient_right(theta, X, y, lam):
    m = X.shape[0]
    mask = (y * (X @ theta) < 1).astype(float)
    reg = theta.copy()
    reg[0] = 0
    return -(X.T @ (mask * y)) / m + lam / m * reg
