"""Octave-style logistic gradient: θ (n+1, 1) and y (m, 1) columns, returns (cost, grad)."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def cost_function(theta, X, y):
    m = y.shape[0]
    h = sigmoid(X @ theta.reshape(-1, 1))
    y = y.reshape(-1, 1)
    J = -(y.T @ np.log(h) + (1 - y).T @ np.log(1 - h)).item() / m
    grad = X.T @ (h - y) / m
    return J, grad
