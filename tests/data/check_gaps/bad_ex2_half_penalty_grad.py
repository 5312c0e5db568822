# ex2 style: J is the catalog's, the gradient's penalty (lambda_/(2m)) * theta (the 2 of the square dropped).
import numpy as np
from scipy.special import expit


def costFunctionReg(theta, X, y, lambda_):
    m = y.size
    h = expit(X.dot(theta))
    temp = theta.copy()
    temp[0] = 0
    J = (1 / m) * np.sum(-y.dot(np.log(h)) - (1 - y).dot(np.log(1 - h))) + (lambda_ / (2 * m)) * np.sum(temp**2)
    grad = (1 / m) * (h - y).dot(X) + (lambda_ / (2 * m)) * temp
    return J, grad
