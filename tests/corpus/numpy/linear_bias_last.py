# model: linear
# label: correct
# function: grad
# style: the column of ones appended after the features, so the bias is the last weight
import numpy as np


def grad(weights, X, y):
    # add bias feature at the end: [x1, x2, ..., 1]
    Xa = np.hstack((X, np.ones((X.shape[0], 1))))
    resid = Xa @ weights - y
    return Xa.T @ resid / len(y)
