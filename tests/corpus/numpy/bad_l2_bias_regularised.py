# model: logistic-l2
# label: incorrect
# fault: bias-regularised
# function: costFunctionReg
# style: Octave port that regularises theta(0) too
import numpy as np


def costFunctionReg(theta, X, y, lambda_):
    m = y.size
    h = 1 / (1 + np.exp(-X.dot(theta)))
    J = -(y @ np.log(h) + (1 - y) @ np.log(1 - h)) / m + lambda_ / (2 * m) * np.sum(theta ** 2)
    grad = X.T.dot(h - y) / m + (lambda_ / m) * theta
    return J, grad
