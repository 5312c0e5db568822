# model: logistic
# label: incorrect
# fault: ascent
# function: gradient
# style: (y - h) with the mean: the mean log-likelihood's gradient where the cost's belongs, X with the ones column
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gradient(theta, X, y):
    m = X.shape[0]
    h = sigmoid(X @ theta)
    return X.T @ (y - h) / m
