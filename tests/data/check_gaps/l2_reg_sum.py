# A loss and its gradient with the penalty reg * sum(theta[1:]**2) (not the catalog's lambda/(2m)): consistent.
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss_and_grad(theta, X, y, reg):
    m = len(y)
    h = sigmoid(X @ theta)
    loss = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + reg * np.sum(theta[1:] ** 2)
    g = X.T @ (h - y) / m
    g[1:] += 2 * reg * theta[1:]
    return loss, g
