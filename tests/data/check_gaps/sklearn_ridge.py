# sklearn-like class: Ridge's alpha * ||w||^2 beside a separate intercept b (not penalised), mean squared error / 2.
import numpy as np


class RidgeGD:
    def __init__(self, alpha=1.0, lr=0.01, n_iters=1000):
        self.alpha = alpha
        self.lr = lr
        self.n_iters = n_iters
        self.w = None
        self.b = 0.0

    def loss_and_gradients(self, X, y):
        m = X.shape[0]
        r = X @ self.w + self.b - y
        loss = r @ r / (2 * m) + self.alpha * np.sum(self.w**2)
        dw = X.T @ r / m + 2 * self.alpha * self.w
        db = np.mean(r)
        return loss, dw, db

    def fit(self, X, y):
        self.w = np.zeros(X.shape[1])
        for _ in range(self.n_iters):
            _, dw, db = self.loss_and_gradients(X, y)
            self.w -= self.lr * dw
            self.b -= self.lr * db
        return self
