# model: logistic-l2
# label: incorrect
# fault: missing-regularisation
# function: grad_reg
# style: takes lam, adds the penalty to the cost but not to the gradient
import numpy as np


def grad_reg(theta, X, y, lam):
    m = len(y)
    h = 1 / (1 + np.exp(-X @ theta))
    cost = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lam / (2 * m) * np.sum(theta[1:] ** 2)
    grad = X.T @ (h - y) / m
    return cost, grad
