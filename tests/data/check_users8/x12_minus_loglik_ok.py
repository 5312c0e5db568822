import numpy as np

def minus_loglik_grad(theta, X, y):
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (h - y)
