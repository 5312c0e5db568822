# model: logistic
# label: correct
# function: LogReg.backward
# style: class with self.w and self.b (set in fit, constructor needs arguments), returns (dw, db)
import numpy as np


class LogReg:
    def __init__(self, n_features, learning_rate):
        self.w = np.zeros(n_features)
        self.b = 0.0
        self.learning_rate = learning_rate

    def predict_proba(self, X):
        return 1.0 / (1.0 + np.exp(-(X @ self.w + self.b)))

    def backward(self, X, y):
        n_samples = X.shape[0]
        y_hat = self.predict_proba(X)
        dw = (1 / n_samples) * X.T @ (y_hat - y)
        db = (1 / n_samples) * np.sum(y_hat - y)
        return dw, db
