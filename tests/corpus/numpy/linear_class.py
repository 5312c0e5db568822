# model: linear
# label: correct
# function: LinearRegressionGD.gradient
# style: class with self.theta, helper method for predictions
import numpy as np


class LinearRegressionGD:
    def __init__(self, eta=0.01, n_iter=1000):
        self.eta = eta
        self.n_iter = n_iter

    def predict(self, X):
        return X @ self.theta

    def gradient(self, X, y):
        residuals = self.predict(X) - y
        return X.T @ residuals / X.shape[0]
