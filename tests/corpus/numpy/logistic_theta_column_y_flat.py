# model: logistic
# label: correct
# function: compute_gradient
# style: course notebook: theta initialised as np.zeros((n + 1, 1)), labels loaded 1-D, made a column inside
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def compute_gradient(theta, X, y):
    """theta: (n+1, 1) column; y: labels as np.loadtxt gives them, shape (m,)."""
    m = X.shape[0]
    h = sigmoid(np.dot(X, theta))
    return np.dot(X.T, h - y[:, None]) / m
