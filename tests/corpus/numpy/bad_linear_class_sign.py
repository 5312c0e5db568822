# model: linear
# label: incorrect
# fault: sign
# function: OLS.grad
# style: class with self.coef_, residual y - Xw with the mean
import numpy as np


class OLS:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept
        self.coef_ = None

    def grad(self, X, y):
        residual = y - X @ self.coef_
        return X.T @ residual / X.shape[0]
