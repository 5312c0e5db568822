# model: linear
# label: incorrect
# fault: other-model
# function: gradient
# style: a sigmoid left over from the logistic exercise in a linear-regression gradient
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gradient(theta, X, y):
    m = len(y)
    return X.T @ (sigmoid(X @ theta) - y) / m
