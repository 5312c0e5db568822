import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def costFunctionReg(theta, X, y, lambda_):
    m = y.size
    h = sigmoid(X @ theta)
    J = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h)) + lambda_ / (2 * m) * np.sum(theta[1:] ** 2)
    grad = X.T @ (h - y) / m
    grad[1:] += 2 * lambda_ / m * theta[1:]   # twice the penalty's gradient
    return J, grad
