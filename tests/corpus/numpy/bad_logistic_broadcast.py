# model: logistic
# label: incorrect
# fault: broadcast
# function: gradient
# style: h flattened to (m,) but y reshaped to (m,1): h - y becomes (m,m)
import numpy as np


def gradient(theta, X, y):
    m = len(y)
    y = y.reshape(m, 1)
    h = 1 / (1 + np.exp(-np.dot(X, theta.flatten())))
    return np.dot(X.T, h - y) / m
