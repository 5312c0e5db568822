# The loss adds 0.5 * reg * sum(theta[1:]**2), the gradient 2 * reg * theta: they disagree.
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss_and_grad(theta, X, y, reg):
    m = len(y)
    h = sigmoid(X @ theta)
    loss = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + 0.5 * reg * np.sum(theta[1:] ** 2)
    g = X.T @ (h - y) / m
    g[1:] += 2 * reg * theta[1:]
    return loss, g
