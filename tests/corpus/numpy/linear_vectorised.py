# model: linear
# label: correct
# function: compute_gradient
# style: textbook vectorised, X with the ones column, (X, y, theta)
import numpy as np


def compute_gradient(X, y, theta):
    m = len(y)
    predictions = X.dot(theta)
    errors = predictions - y
    return (1 / m) * X.T.dot(errors)
