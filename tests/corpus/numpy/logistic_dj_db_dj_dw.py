# model: logistic
# label: correct
# function: compute_gradient_logistic
# style: ML specialization lab: loops, (X, y, w, b) returning (dj_db, dj_dw) with the bias first
import numpy as np
import copy, math


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def compute_gradient_logistic(X, y, w, b):
    """
    Computes the gradient for logistic regression

    Returns
      dj_dw (ndarray (n,)): The gradient of the cost w.r.t. the parameters w.
      dj_db (scalar)      : The gradient of the cost w.r.t. the parameter b.
    """
    m, n = X.shape
    dj_dw = np.zeros((n,))
    dj_db = 0.

    for i in range(m):
        f_wb_i = sigmoid(np.dot(X[i], w) + b)
        err_i = f_wb_i - y[i]
        for j in range(n):
            dj_dw[j] = dj_dw[j] + err_i * X[i, j]
        dj_db = dj_db + err_i
    dj_dw = dj_dw / m
    dj_db = dj_db / m

    return dj_db, dj_dw
