import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def costFunction(theta, X, y):
    m = y.size
    h = sigmoid(X.dot(theta))
    J = -(1 / m) * np.sum(y.dot(np.log(h)) + (1 - y).dot(np.log(1 - h)))
    grad = (1 / m) * (h - y).dot(X)
    return J, grad
