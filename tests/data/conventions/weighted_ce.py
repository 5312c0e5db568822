import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def weighted_logloss_grad(theta, X, y, pos_weight=3.0):
    """Gradient of -(1/m) sum [w*y*log(h) + (1-y)*log(1-h)] with w = pos_weight."""
    h = sigmoid(X @ theta)
    m = len(y)
    return X.T @ (h * (pos_weight * y + 1 - y) - pos_weight * y) / m
