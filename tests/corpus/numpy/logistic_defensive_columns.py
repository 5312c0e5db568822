# model: logistic
# label: correct
# function: gradient
# style: defensive: prints an error and returns None unless theta and y are column vectors
import numpy as np


def gradient(theta, X, y):
    if theta.ndim != 2 or y.ndim != 2:
        print("Error: theta and y must be column vectors")
        return None
    m = X.shape[0]
    h = 1 / (1 + np.exp(-X @ theta))
    return (1.0 / m) * X.T @ (h - y)
