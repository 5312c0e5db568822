# model: logistic
# label: incorrect
# fault: wrong-axis
# function: gradient
# style: np.mean over axis=1 (features) instead of axis=0 (examples)
import numpy as np


def gradient(theta, X, y):
    h = 1 / (1 + np.exp(-X.dot(theta)))
    return np.mean(X * (h - y)[:, np.newaxis], axis=1)
