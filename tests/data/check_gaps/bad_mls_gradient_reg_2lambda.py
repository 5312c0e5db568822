# MLS lab style, no loss returned: the penalty's gradient 2 * lambda_ * w_j (of lambda_ * sum(w**2)).
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def compute_gradient_logistic_reg(X, y, w, b, lambda_):
    m, n = X.shape
    err = sigmoid(X @ w + b) - y
    dj_dw = X.T @ err / m + 2 * lambda_ * w
    dj_db = np.mean(err)
    return dj_db, dj_dw
