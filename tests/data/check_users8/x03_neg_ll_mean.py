import numpy as np

def neg_log_likelihood_gradient(theta, X, y):
    """gradient of the mean negative log-likelihood (= the cross-entropy cost J)"""
    h = 1 / (1 + np.exp(-X @ theta))
    return X.T @ (h - y) / len(y)
