import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def compute_gradient(X, y, w, b):
    m = X.shape[0]
    err = sigmoid(X @ w + b) - y
    dj_dw = X.T @ err / m
    dj_db = np.sum(y - sigmoid(X @ w + b)) / m  # sign flipped on b only
    return dj_db, dj_dw


def compute_gradient_right(X, y, w, b):
    m = X.shape[0]
    err = sigmoid(X @ w + b) - y
    return np.sum(err) / m, X.T @ err / m
