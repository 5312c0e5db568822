# model: logistic-l2
# label: correct
# function: RegularizedLogit.grad
# style: class keeping theta and the penalty lam on self
import numpy as np


class RegularizedLogit:
    def __init__(self, lam, max_iter=500):
        self.lam = lam
        self.max_iter = max_iter
        self.theta = None

    @staticmethod
    def _sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def grad(self, X, y):
        m = X.shape[0]
        h = self._sigmoid(X @ self.theta)
        penalty = (self.lam / m) * np.r_[0.0, self.theta[1:]]
        return X.T @ (h - y) / m + penalty
