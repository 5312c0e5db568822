# The full Poisson NLL (log y! included) beside a gradient without its 1/m.
import numpy as np
from scipy.special import gammaln


def poisson_nll(beta, X, y):
    eta = X @ beta
    mu = np.exp(eta)
    nll = np.mean(mu - y * eta + gammaln(y + 1))
    grad = X.T @ (mu - y)
    return nll, grad
