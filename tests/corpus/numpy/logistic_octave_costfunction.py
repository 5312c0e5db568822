# model: logistic
# label: correct
# function: costFunction
# style: Octave port, X already has the ones column, theta (n+1,1) and y (m,1) columns, returns (J, grad)
import numpy as np


def sigmoid(z):
    g = 1 / (1 + np.exp(-z))
    return g


def costFunction(theta, X, y):
    # COSTFUNCTION Compute cost and gradient for logistic regression
    m = len(y)  # number of training examples
    J = 0
    grad = np.zeros(theta.shape)

    h = sigmoid(X.dot(theta))
    J = (1 / m) * (-y.T.dot(np.log(h)) - (1 - y).T.dot(np.log(1 - h)))
    grad = (1 / m) * X.T.dot(h - y)

    return J, grad
