# model: linear
# label: correct
# function: grad
# style: np.einsum, (theta, X, y)
import numpy as np


def grad(theta, X, y):
    r = np.einsum("ij,j->i", X, theta) - y
    return np.einsum("ij,i->j", X, r) / len(y)
