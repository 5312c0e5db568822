"""A for-loop over the examples: W1, b1, W2, b2 passed separately, one-hot Y, sigmoid hidden, softmax."""


import numpy as np


def backprop(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 / m
    dW2 = dW2 / m + reg * W2
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (no-mean): forgot to divide by m
def backprop_no_mean(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 + reg * W1
    db1 = db1
    dW2 = dW2 + reg * W2
    db2 = db2
    return dW1, db1, dW2, db2


# slip (slope-on-activation): σ′(a1)
def backprop_slope_on_activation(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        s = 1 / (1 + np.exp(-a1))
        dz1 = da1 * s * (1 - s)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 / m
    dW2 = dW2 / m + reg * W2
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (bias-penalised): reg·b
def backprop_bias_penalised(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 / m + reg * b1
    dW2 = dW2 / m + reg * W2
    db2 = db2 / m + reg * b2
    return dW1, db1, dW2, db2


# slip (reg-factor): 2·reg·W with (reg/2)·ΣW²
def backprop_double_reg(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + 2 * reg * W1
    db1 = db1 / m
    dW2 = dW2 / m + 2 * reg * W2
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (output-slope-twice): (p − y)·p(1 − p)
def backprop_softmax_slope_twice(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = (p - Y[i]) * p * (1 - p)
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 / m
    dW2 = dW2 / m + reg * W2
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (transpose): outer(dz2, a1)
def backprop_w2_transposed(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 = dW2 + np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 / m
    dW2 = (dW2 / m + reg * W2).T
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (reg-missing): penalty only in the loss
def backprop_reg_missing(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m
    db1 = db1 / m
    dW2 = dW2 / m
    db2 = db2 / m
    return dW1, db1, dW2, db2


# slip (no-mean+bias-penalised): two slips in the biases: no 1/m and the penalty
def backprop_bias_two_slips(W1, b1, W2, b2, X, Y, reg):
    m = X.shape[0]
    dW1 = np.zeros_like(W1)
    db1 = np.zeros_like(b1)
    dW2 = np.zeros_like(W2)
    db2 = np.zeros_like(b2)
    loss = 0.0
    for i in range(m):
        x = X[i]
        z1 = x @ W1 + b1
        a1 = 1 / (1 + np.exp(-z1))
        z2 = a1 @ W2 + b2
        p = np.exp(z2 - z2.max())
        p = p / p.sum()
        loss -= np.sum(Y[i] * np.log(p))
        dz2 = p - Y[i]
        dW2 += np.outer(a1, dz2)
        db2 += dz2
        da1 = W2 @ dz2
        dz1 = da1 * a1 * (1 - a1)
        dW1 += np.outer(x, dz1)
        db1 += dz1
    loss = loss / m + reg / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dW1 = dW1 / m + reg * W1
    db1 = db1 + reg * b1
    dW2 = dW2 / m + reg * W2
    db2 = db2 + reg * b2
    return dW1, db1, dW2, db2
