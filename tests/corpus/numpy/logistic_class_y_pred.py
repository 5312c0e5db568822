# model: logistic
# label: correct
# function: LogisticRegressionFromScratch._compute_gradients
# style: blog-post class; the gradient method takes the predictions y_pred and returns (dw, db)
import numpy as np


class LogisticRegressionFromScratch:
    def __init__(self, learning_rate=0.01, epochs=1000):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.weights = None
        self.bias = None
        self.losses = []

    def _sigmoid(self, z):
        return 1 / (1 + np.exp(-z))

    def _compute_gradients(self, X, y, y_pred):
        n = X.shape[0]
        diff = y_pred - y
        grad_w = (1 / n) * np.dot(X.T, diff)
        grad_b = (1 / n) * np.sum(diff)
        return grad_w, grad_b

    def fit(self, X, y):
        self.weights = np.zeros(X.shape[1])
        self.bias = 0
        for _ in range(self.epochs):
            y_pred = self._sigmoid(np.dot(X, self.weights) + self.bias)
            dw, db = self._compute_gradients(X, y, y_pred)
            self.weights -= self.learning_rate * dw
            self.bias -= self.learning_rate * db
