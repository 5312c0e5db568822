"""A blog's NeuralNetwork class: the weights on self, forward() keeps z1, a1, probs; gradients (dW1, db1, dW2, db2)."""


import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class NeuralNetwork:
    def __init__(self, n_in, n_hidden, n_out, learning_rate=0.1):
        self.W1 = np.random.randn(n_in, n_hidden) * 0.01
        self.b1 = np.zeros(n_hidden)
        self.W2 = np.random.randn(n_hidden, n_out) * 0.01
        self.b2 = np.zeros(n_out)
        self.lr = learning_rate

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1
        self.a1 = sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.probs = softmax(self.z2)
        return self.probs

    def loss(self, X, y):
        m = X.shape[0]
        self.forward(X)
        delta3 = self.probs.copy()
        delta3[range(m), y] -= 1
        delta3 /= m
        dW2 = self.a1.T @ delta3
        db2 = delta3.sum(axis=0)
        delta2 = delta3 @ self.W2.T * self.a1 * (1 - self.a1)
        dW1 = X.T @ delta2
        db1 = delta2.sum(axis=0)
        return dW1, db1, dW2, db2


# slip (slope-on-activation): σ′(a1) as sigmoid(a1)(1 − sigmoid(a1))
class NeuralNetworkSigmoidOfA1:
    def __init__(self, n_in, n_hidden, n_out, learning_rate=0.1):
        self.W1 = np.random.randn(n_in, n_hidden) * 0.01
        self.b1 = np.zeros(n_hidden)
        self.W2 = np.random.randn(n_hidden, n_out) * 0.01
        self.b2 = np.zeros(n_out)
        self.lr = learning_rate

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1
        self.a1 = sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.probs = softmax(self.z2)
        return self.probs

    def loss(self, X, y):
        m = X.shape[0]
        self.forward(X)
        delta3 = self.probs.copy()
        delta3[range(m), y] -= 1
        delta3 /= m
        dW2 = self.a1.T @ delta3
        db2 = delta3.sum(axis=0)
        delta2 = delta3 @ self.W2.T * sigmoid(self.a1) * (1 - sigmoid(self.a1))
        dW1 = X.T @ delta2
        db1 = delta2.sum(axis=0)
        return dW1, db1, dW2, db2


# slip (bias-wrong-axis): delta3.sum(axis=1)
class NeuralNetworkDb2Axis:
    def __init__(self, n_in, n_hidden, n_out, learning_rate=0.1):
        self.W1 = np.random.randn(n_in, n_hidden) * 0.01
        self.b1 = np.zeros(n_hidden)
        self.W2 = np.random.randn(n_hidden, n_out) * 0.01
        self.b2 = np.zeros(n_out)
        self.lr = learning_rate

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1
        self.a1 = sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.probs = softmax(self.z2)
        return self.probs

    def loss(self, X, y):
        m = X.shape[0]
        self.forward(X)
        delta3 = self.probs.copy()
        delta3[range(m), y] -= 1
        delta3 /= m
        dW2 = self.a1.T @ delta3
        db2 = delta3.sum(axis=1)
        delta2 = delta3 @ self.W2.T * self.a1 * (1 - self.a1)
        dW1 = X.T @ delta2
        db1 = delta2.sum(axis=0)
        return dW1, db1, dW2, db2
