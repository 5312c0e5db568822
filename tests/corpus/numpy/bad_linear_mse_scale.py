# model: linear
# label: incorrect
# fault: scale
# function: mse_gradient
# style: 2/m from differentiating mean((Xw - y)^2), for the course cost (1/2m) sum of squares
import numpy as np


def mse_gradient(w, X, y):
    n = X.shape[0]
    return 2.0 / n * X.T @ (X @ w - y)
