# The full Poisson negative log-likelihood, log y! included (scipy's gammaln): a constant beside the model's.
import numpy as np
from scipy.special import gammaln


def poisson_nll(beta, X, y):
    eta = X @ beta
    mu = np.exp(eta)
    nll = np.mean(mu - y * eta + gammaln(y + 1))
    grad = X.T @ (mu - y) / X.shape[0]
    return nll, grad
