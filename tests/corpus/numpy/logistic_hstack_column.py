# model: logistic
# label: correct
# function: compute_gradient
# style: (X, y, theta) order, np.hstack for the bias, reshapes theta and y to columns itself
import numpy as np

def compute_gradient(X, y, theta):
    m, n = X.shape
    X_b = np.hstack((np.ones((m, 1)), X))     # add x0 = 1 to each instance
    theta = theta.reshape((n + 1, 1))
    y = y.reshape((m, 1))
    z = X_b.dot(theta)
    predictions = 1 / (1 + np.exp(-z))
    error = predictions - y
    grad = X_b.T.dot(error) / m
    return grad
