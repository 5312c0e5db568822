# model: linear
# label: incorrect
# fault: wrong-variable
# function: gradient
# style: differentiated by X instead of theta: an (m, n+1) array
import numpy as np


def gradient(theta, X, y):
    m = X.shape[0]
    r = X @ theta - y
    return np.outer(r, theta) / m
