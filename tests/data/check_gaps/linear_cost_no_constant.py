# Least squares written as (θᵀXᵀXθ − 2θᵀXᵀy)/(2m): the constant yᵀy/(2m) dropped.
import numpy as np


def cost_and_grad(theta, X, y):
    m = len(y)
    XtX, Xty = X.T @ X, X.T @ y
    J = (theta @ XtX @ theta - 2 * theta @ Xty) / (2 * m)
    grad = (XtX @ theta - Xty) / m
    return J, grad
