# model: logistic
# label: incorrect
# fault: scale
# function: compute_gradient_logistic
# style: (X, y, w, b) lab style, divides by 2m as in the squared-error lab
import numpy as np


def compute_gradient_logistic(X, y, w, b):
    m = X.shape[0]
    f = 1 / (1 + np.exp(-(X @ w + b)))
    err = f - y
    dj_dw = (X.T @ err) / (2 * m)
    dj_db = np.sum(err) / (2 * m)
    return dj_db, dj_dw
