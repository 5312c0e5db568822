import numpy as np

def poisson_neg_log_likelihood_grad(theta, X, y):
    """mean negative log-likelihood of a Poisson GLM with log link (sign slip)"""
    return X.T @ (y - np.exp(X @ theta)) / len(y)
