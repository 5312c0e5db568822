import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def sgd_grad(theta, xi, yi):
    """Per-example gradient for SGD, with the sign of the log-likelihood's (y - h) where descent wants (h - y)."""
    return (yi - sigmoid(xi @ theta)) * xi
