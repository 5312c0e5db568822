import numpy as np

def neg_loglik_grad(theta, X, y):
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (h - y) / len(y)
