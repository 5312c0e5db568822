"""A blog post's network: sigmoid hidden and output, binary labels, no penalty; (loss, dW1, db1, dW2, db2)."""


import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (output-slope-twice): (ŷ − y)·σ′(z2)
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_slope_twice(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) * sigmoid_prime(z2) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (slope-on-activation): sigmoid_prime(a1)
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_prime_of_a1(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(a1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (no-mean): no 1/m
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_no_mean(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = y_hat - y
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (bias-not-summed): db2 = delta2
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_db2_not_summed(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = delta2
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (sign): y − ŷ
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_sign(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y - y_hat) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (transpose): delta1ᵀX
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_w1_transposed(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = delta1.T.dot(X)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (slope-on-preactivation): z1(1 − z1)
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_prime_form_on_z(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * z1 * (1 - z1)
    dW1 = X.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2


# slip (unnamed): dW1 from a1, not X, the layer's input (not one of the named slips)
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def train_step_dw1_from_a1(W1, b1, W2, b2, X, y):
    m = len(y)
    y = y.reshape(-1, 1)
    z1 = X.dot(W1) + b1
    a1 = sigmoid(z1)
    z2 = a1.dot(W2) + b2
    y_hat = sigmoid(z2)
    loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    delta2 = (y_hat - y) / m
    dW2 = a1.T.dot(delta2)
    db2 = np.sum(delta2, axis=0)
    delta1 = delta2.dot(W2.T) * sigmoid_prime(z1)
    dW1 = a1.T.dot(delta1)
    db1 = np.sum(delta1, axis=0)
    return loss, dW1, db1, dW2, db2
