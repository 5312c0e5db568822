# model: logistic-l2
# label: incorrect
# fault: bias-regularised
# function: RegLogistic.grads
# style: class with self.w, self.b and self.C read as the penalty; the bias is regularised too
import numpy as np


class RegLogistic:
    def __init__(self, C=1.0):
        self.C = C
        self.w = None
        self.b = 0.0

    def grads(self, X, y):
        m = X.shape[0]
        p = 1 / (1 + np.exp(-(X @ self.w + self.b)))
        dw = X.T @ (p - y) / m + self.C / m * self.w
        db = np.sum(p - y) / m + self.C / m * self.b
        return dw, db
