import numpy as np

def lasso_subgradient(theta, X, y, alpha):
    m = len(y)
    r = X @ theta - y
    g = X.T @ r / m
    s = np.sign(theta)
    s[0] = 0
    return g + alpha * s
