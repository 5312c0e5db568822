# model: logistic
# label: incorrect
# fault: sigmoid-missing
# function: gradient
# style: copied the linear-regression gradient, h = X theta without the sigmoid
import numpy as np


def gradient(theta, X, y):
    m = len(y)
    h = X @ theta          # hypothesis
    return (1 / m) * (X.T @ (h - y))
