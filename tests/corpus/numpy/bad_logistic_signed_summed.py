# model: logistic
# label: incorrect
# fault: summed
# function: logistic_grad
# style: labels in {-1, +1}, total instead of mean
import numpy as np


def logistic_grad(w, X, y):
    s = 1 / (1 + np.exp(y * (X @ w)))
    return -X.T @ (y * s)
