# model: logistic
# label: correct
# function: gradient
# style: adds its own intercept with np.c_, lowercase x, theta with n+1 entries
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gradient(theta, x, y):
    """Gradient of the logistic regression cost.

    x is the raw feature matrix (m x n), the bias column is added here.
    """
    m = x.shape[0]
    x = np.c_[np.ones((m, 1)), x]
    h = sigmoid(x @ theta)
    return (1 / m) * (x.T @ (h - y))
