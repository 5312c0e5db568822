# model: logistic
# label: incorrect
# fault: sigmoid-twice
# function: gradient
# style: helper hypothesis() already applies sigmoid, and it is applied again
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def hypothesis(theta, X):
    return sigmoid(X @ theta)


def gradient(theta, X, y):
    m = X.shape[0]
    h = sigmoid(hypothesis(theta, X))
    return X.T @ (h - y) / m
