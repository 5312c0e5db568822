import numpy as np

def neg_log_likelihood_gradient(theta, X, y):
    """gradient of the mean negative log-likelihood, sign slip"""
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (y - h) / len(y)
