# model: logistic
# label: incorrect
# fault: sign
# function: log_likelihood_grad
# style: named as the log-likelihood's gradient, but returns the cost's gradient (h - y)
import numpy as np


def log_likelihood_grad(theta, X, y):
    p = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (p - y)
