import numpy as np

def poisson_neg_log_likelihood_grad(theta, X, y):
    """mean negative log-likelihood of a Poisson GLM with log link"""
    return X.T @ (np.exp(X @ theta) - y) / len(y)
