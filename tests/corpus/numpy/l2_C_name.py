# model: logistic-l2
# label: correct
# function: penalized_grad
# style: the penalty strength called C, adds ones with np.c_, column theta
import numpy as np


def penalized_grad(theta, X, y, C):
    m = X.shape[0]
    Xt = np.c_[np.ones(m), X]
    theta = theta.reshape(-1, 1)
    y = y.reshape(-1, 1)
    h = 1 / (1 + np.exp(-Xt @ theta))
    reg = C / m * theta
    reg[0] = 0
    return Xt.T @ (h - y) / m + reg
