# model: logistic
# label: correct
# function: grad
# style: helpers add_intercept and sigmoid imported from the user's own module beside the file
import numpy as np
from mlutils import add_intercept, sigmoid


def grad(theta, X, y):
    X = add_intercept(X)
    h = sigmoid(X @ theta)
    return X.T @ (h - y) / y.size
