import math
import numpy as np

def neg_log_likelihood_grad(theta, X, y):
    """un-averaged cross-entropy, loop over examples (translated from MATLAB)"""
    m, n = X.shape
    grad = np.zeros(n)
    for i in range(0, m):
        z = sum(theta[k] * X[i, k] for k in range(n))
        h = 1.0 / (1.0 + math.exp(-z))
        for k in range(n):
            grad[k] += (h - y[i]) * X[i, k]
    return grad
