# model: logistic-l2
# label: incorrect
# fault: penalty-scale
# function: gradient
# style: penalty lambda * theta (as in lambda/2 * ||theta||^2, not divided by m), bias skipped
import numpy as np


def gradient(theta, X, y, lambda_):
    m = X.shape[0]
    h = 1 / (1 + np.exp(-X @ theta))
    grad = X.T @ (h - y) / m
    grad[1:] += lambda_ * theta[1:]
    return grad
