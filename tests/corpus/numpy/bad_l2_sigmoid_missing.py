# model: logistic-l2
# label: incorrect
# fault: sigmoid-missing
# function: compute_gradient_reg
# style: regularised, hypothesis left linear
import numpy as np


def compute_gradient_reg(X, y, theta, lambda_=1.0):
    m = X.shape[0]
    h = X.dot(theta)
    grad = (1 / m) * X.T.dot(h - y)
    grad[1:] = grad[1:] + (lambda_ / m) * theta[1:]
    return grad
