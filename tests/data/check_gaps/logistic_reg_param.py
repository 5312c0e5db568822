# A logistic loss with an optional penalty reg * sum(theta[1:]**2) and its gradient 2 * reg * theta: consistent.
import numpy as np


def loss_and_grad(theta, X, y, reg=0.0):
    m = len(y)
    h = 1 / (1 + np.exp(-X @ theta))
    loss = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + reg * np.sum(theta[1:] ** 2)
    g = X.T @ (h - y) / m
    g[1:] += 2 * reg * theta[1:]
    return loss, g
