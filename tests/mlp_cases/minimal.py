"""Nothing says which output (act() for both layers, no loss): the run decides; a tuple of four."""


import numpy as np


def act(z):
    return 1 / (1 + np.exp(-z))


def grads(W1, b1, W2, b2, X, y):
    m = len(X)
    y = y.reshape(-1, 1)
    a1 = act(X @ W1 + b1)
    out = act(a1 @ W2 + b2)
    d2 = (out - y) / m
    d1 = d2 @ W2.T * a1 * (1 - a1)
    return X.T @ d1, d1.sum(0), a1.T @ d2, d2.sum(0)


# slip (output-slope-twice): (out − y)·out(1 − out)
def grads_output_slope_twice(W1, b1, W2, b2, X, y):
    m = len(X)
    y = y.reshape(-1, 1)
    a1 = act(X @ W1 + b1)
    out = act(a1 @ W2 + b2)
    d2 = (out - y) * out * (1 - out) / m
    d1 = d2 @ W2.T * a1 * (1 - a1)
    return X.T @ d1, d1.sum(0), a1.T @ d2, d2.sum(0)


# slip (slope-on-activation): act′ of a1
def grads_d1_from_out(W1, b1, W2, b2, X, y):
    m = len(X)
    y = y.reshape(-1, 1)
    a1 = act(X @ W1 + b1)
    out = act(a1 @ W2 + b2)
    d2 = (out - y) / m
    d1 = d2 @ W2.T * act(a1) * (1 - act(a1))
    return X.T @ d1, d1.sum(0), a1.T @ d2, d2.sum(0)
