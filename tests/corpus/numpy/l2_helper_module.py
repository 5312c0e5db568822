# model: logistic-l2
# label: correct
# function: reg_gradient
# style: helper module for the intercept and sigmoid, (X, y, theta, lmbda), returns (grad, cost)
import numpy as np
from mlutils import add_intercept, sigmoid


def reg_gradient(X, y, theta, lmbda):
    Xi = add_intercept(X)
    m = len(y)
    h = sigmoid(Xi @ theta)
    cost = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lmbda / (2 * m) * theta[1:] @ theta[1:]
    g = Xi.T @ (h - y) / m
    g[1:] = g[1:] + lmbda / m * theta[1:]
    return g, cost
