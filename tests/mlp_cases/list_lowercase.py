"""Lowercase keys (params['w1']), tanh, softmax, reg·ΣW², a list [dw1, db1, dw2, db2, loss]."""


import numpy as np


def gradients(params, X, y, reg=0.0):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    h = np.tanh(X @ w1 + b1)
    s = h @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).sum() / n + reg * ((w1**2).sum() + (w2**2).sum())
    p[np.arange(n), y] -= 1
    g = p / n
    dw2 = h.T @ g + 2 * reg * w2
    db2 = g.sum(0)
    gh = g @ w2.T * (1 - h * h)
    dw1 = X.T @ gh + 2 * reg * w1
    db1 = gh.sum(0)
    return [dw1, db1, dw2, db2, loss]


# slip (bias-wrong-axis): gh.sum(1)
def gradients_db1_wrong_axis(params, X, y, reg=0.0):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    h = np.tanh(X @ w1 + b1)
    s = h @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).sum() / n + reg * ((w1**2).sum() + (w2**2).sum())
    p[np.arange(n), y] -= 1
    g = p / n
    dw2 = h.T @ g + 2 * reg * w2
    db2 = g.sum(0)
    gh = g @ w2.T * (1 - h * h)
    dw1 = X.T @ gh + 2 * reg * w1
    db1 = gh.sum(1)
    return [dw1, db1, dw2, db2, loss]


# slip (sign): returns the negative
def gradients_sign(params, X, y, reg=0.0):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    h = np.tanh(X @ w1 + b1)
    s = h @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).sum() / n + reg * ((w1**2).sum() + (w2**2).sum())
    p[np.arange(n), y] -= 1
    g = p / n
    dw2 = h.T @ g + 2 * reg * w2
    db2 = g.sum(0)
    gh = g @ w2.T * (1 - h * h)
    dw1 = X.T @ gh + 2 * reg * w1
    db1 = gh.sum(0)
    return [-dw1, -db1, -dw2, -db2, loss]


# slip (bias-penalised): 2·reg·b
def gradients_reg_on_b(params, X, y, reg=0.0):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    h = np.tanh(X @ w1 + b1)
    s = h @ w2 + b2
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).sum() / n + reg * ((w1**2).sum() + (w2**2).sum())
    p[np.arange(n), y] -= 1
    g = p / n
    dw2 = h.T @ g + 2 * reg * w2
    db2 = g.sum(0) + 2 * reg * b2
    gh = g @ w2.T * (1 - h * h)
    dw1 = X.T @ gh + 2 * reg * w1
    db1 = gh.sum(0) + 2 * reg * b1
    return [dw1, db1, dw2, db2, loss]
