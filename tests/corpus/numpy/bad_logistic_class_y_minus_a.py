# model: logistic
# label: incorrect
# fault: ascent
# function: Perceptronish.gradients
# style: class with self.w and self.b, dw and db from (y - a): the log-likelihood direction, not the cost's
import numpy as np


class Perceptronish:
    def __init__(self, n_in):
        self.w = np.zeros(n_in)
        self.b = 0.0

    def gradients(self, X, y):
        a = 1 / (1 + np.exp(-(X @ self.w + self.b)))
        m = len(y)
        dw = X.T @ (y - a) / m
        db = np.sum(y - a) / m
        return dw, db
