# ex2 (Andrew Ng, Python port): the catalog's convention, (lambda_/(2m)) * sum(theta[1:]**2).
import numpy as np
from scipy.special import expit


def costFunctionReg(theta, X, y, lambda_):
    m = y.size
    h = expit(X.dot(theta.T))
    temp = theta.copy()
    temp[0] = 0
    J = (1 / m) * np.sum(-y.dot(np.log(h)) - (1 - y).dot(np.log(1 - h))) + (lambda_ / (2 * m)) * np.sum(np.square(temp))
    grad = (1 / m) * (h - y).dot(X)
    grad = grad + (lambda_ / m) * temp
    return J, grad
