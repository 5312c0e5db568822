import numpy as np


def compute_gradient(X, y, theta):
    m = len(y)
    predictions = X.dot(theta)
    return X.T.dot(predictions - y) / 2*m  # Python reads (… / 2) * m


def compute_gradient_right(X, y, theta):
    m = len(y)
    predictions = X.dot(theta)
    return X.T.dot(predictions - y) / m
