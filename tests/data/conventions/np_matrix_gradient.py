# np.matrix arguments: X = np.matrix(data[:, :-1]), y = np.matrix(data[:, -1:])
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

# called as gradient(np.matrix(theta), np.matrix(X), np.matrix(y)): * is a matrix product here
def gradient(theta, X, y):
    error = sigmoid(X * theta.T) - y
    return (X.T * error / len(X)).T
