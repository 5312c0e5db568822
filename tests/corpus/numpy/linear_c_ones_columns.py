# model: linear
# label: correct
# function: gradient
# style: adds ones with np.c_, insists on (m,1) y and (n+1,1) theta and returns a column
import numpy as np


def gradient(theta, x, y):
    m = y.shape[0]
    if y.ndim == 1:
        y = y[:, np.newaxis]
    if theta.ndim == 1:
        theta = theta[:, np.newaxis]
    X = np.c_[np.ones((m, 1)), x]
    return X.T @ (X @ theta - y) / m
