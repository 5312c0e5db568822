# model: linear
# label: incorrect
# fault: summed
# function: gradient
# style: adds ones with np.c_, sum of errors times features, no 1/m
import numpy as np


def gradient(theta, x, y):
    X = np.c_[np.ones(len(x)), x]
    error = X @ theta - y
    return X.T @ error
