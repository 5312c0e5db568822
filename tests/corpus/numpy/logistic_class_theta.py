# model: logistic
# label: correct
# function: LogisticRegression.gradient
# style: a class keeping theta on self, constructor with hyperparameters, method gradient(X, y)
import numpy as np


class LogisticRegression:
    def __init__(self, lr=0.01, num_iter=100000, fit_intercept=True, verbose=False):
        self.lr = lr
        self.num_iter = num_iter
        self.fit_intercept = fit_intercept
        self.verbose = verbose

    def __add_intercept(self, X):
        intercept = np.ones((X.shape[0], 1))
        return np.concatenate((intercept, X), axis=1)

    def __sigmoid(self, z):
        return 1 / (1 + np.exp(-z))

    def gradient(self, X, y):
        if self.fit_intercept:
            X = self.__add_intercept(X)
        h = self.__sigmoid(np.dot(X, self.theta))
        return np.dot(X.T, (h - y)) / y.size

    def fit(self, X, y):
        if self.fit_intercept:
            X = self.__add_intercept(X)
        self.theta = np.zeros(X.shape[1])
        for i in range(self.num_iter):
            self.theta -= self.lr * self.gradient(X, y)
