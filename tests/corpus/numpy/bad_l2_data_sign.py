# model: logistic-l2
# label: incorrect
# fault: sign
# function: reg_gradient
# style: the data term written (y - h) as in the likelihood notes, but the penalty added as for the cost
import numpy as np


def reg_gradient(theta, X, y, lambda_):
    m = y.shape[0]
    h = 1.0 / (1.0 + np.exp(-X.dot(theta)))
    grad = X.T.dot(y - h) / m
    grad[1:] += lambda_ / m * theta[1:]
    return grad
