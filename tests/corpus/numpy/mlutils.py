import numpy as np


def add_intercept(X):
    """Put a column of ones in front of X."""
    intercept = np.ones((X.shape[0], 1))
    return np.concatenate((intercept, X), axis=1)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))
