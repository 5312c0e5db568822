# model: logistic-l2
# label: correct
# function: backward_reg
# style: (w, b, X, Y, lambd), dw regularised, db not, returns (dw, db, cost)
import numpy as np


def backward_reg(w, b, X, Y, lambd):
    m = X.shape[0]
    A = 1 / (1 + np.exp(-(X @ w + b)))
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)) + lambd / (2 * m) * np.sum(w ** 2)
    dw = X.T @ (A - Y) / m + (lambd / m) * w
    db = np.sum(A - Y) / m
    return dw, db, cost
