# model: logistic
# label: correct
# function: grad_logistic
# style: argument order (y, x, theta), np.matmul, np.mean over a broadcasted product
import numpy as np


def grad_logistic(y, x, theta):
    prob = 1 / (1 + np.exp(-np.matmul(x, theta)))
    return np.mean((prob - y)[:, None] * x, axis=0)
