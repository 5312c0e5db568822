# model: linear
# label: incorrect
# fault: sign
# function: compute_gradient
# style: (y - X theta) residual, as in the normal-equation derivation, sign never fixed
import numpy as np


def compute_gradient(X, y, theta):
    m = len(y)
    return (1 / m) * X.T.dot(y - X.dot(theta))
