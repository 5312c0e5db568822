# model: logistic-l2
# label: correct
# function: lrGradient
# style: argument order (y, x, theta, lambda_), x without the ones column, theta column, Octave-like names
import numpy as np


def lrGradient(y, x, theta, lambda_):
    m = x.shape[0]
    x = np.concatenate([np.ones((m, 1)), x], axis=1)   # x0 = 1
    theta = np.reshape(theta, (-1, 1))
    y = np.reshape(y, (-1, 1))
    hx = 1.0 / (1.0 + np.exp(-np.dot(x, theta)))
    grad = np.dot(x.T, hx - y) / m
    grad[1:] = grad[1:] + (lambda_ / m) * theta[1:]
    return grad.flatten()
