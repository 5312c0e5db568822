# model: logistic
# label: incorrect
# fault: summed
# function: compute_grad
# style: adds the ones column, forgets to average over the examples
import numpy as np


def compute_grad(X, y, theta):
    X = np.c_[np.ones((X.shape[0], 1)), X]
    h = 1 / (1 + np.exp(-X.dot(theta)))
    return X.T.dot(h - y)
