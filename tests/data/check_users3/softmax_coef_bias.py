import numpy as np


def softmax_grad(W, b, X, y):
    """scikit-learn's layout: W (K, d) like coef_, b (K,) like intercept_; y integer labels."""
    n = X.shape[0]
    scores = X @ W.T + b
    scores -= scores.max(axis=1, keepdims=True)
    P = np.exp(scores)
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(n), y] -= 1
    dW = P.T @ X / n
    db = P.mean(axis=0)
    return dW, db


def softmax_grad_wrong(W, b, X, y):
    """The same with the gradient ascended: (Y − P) for (P − Y)."""
    dW, db = softmax_grad(W, b, X, y)
    return -dW, -db


def softmax_grad_dk(W, b, X, y):
    """W (d, K), b (K,), as CS231n writes W."""
    n = X.shape[0]
    scores = X @ W + b
    P = np.exp(scores - scores.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(n), y] -= 1
    return X.T @ P / n, P.sum(axis=0) / n
