# ex2 style: J adds lambda_ * sum(theta[1:]**2) (no 1/(2m)), the gradient the catalog's (lambda_/m) * theta.
import numpy as np
from scipy.special import expit


def costFunctionReg(theta, X, y, lambda_):
    m = y.size
    h = expit(X.dot(theta))
    temp = theta.copy()
    temp[0] = 0
    J = (1 / m) * np.sum(-y.dot(np.log(h)) - (1 - y).dot(np.log(1 - h))) + lambda_ * np.sum(np.square(temp))
    grad = (1 / m) * (h - y).dot(X) + (lambda_ / m) * temp
    return J, grad
