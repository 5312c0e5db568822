# model: linear
# label: correct
# function: dJ
# call: dJ(X, y, theta)
# style: one-letter names a, b, t that say nothing, so the call is given
import numpy as np


def dJ(A, b, t):
    """d/dt of 1/(2m) ||A t - b||^2"""
    return A.T @ (A @ t - b) / A.shape[0]
