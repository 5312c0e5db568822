"""A for-loop, ReLU, integer labels, reg·ΣW², gradients returned as (dW2, db2, dW1, db1)."""


import numpy as np


def backprop_relu(W1, b1, W2, b2, X, y, reg):
    """ReLU hidden layer, integer labels, reg·ΣW²; returns the gradients with names in another order."""
    m = X.shape[0]
    grad_W1, grad_b1 = np.zeros(W1.shape), np.zeros(b1.shape)
    grad_W2, grad_b2 = np.zeros(W2.shape), np.zeros(b2.shape)
    for i in range(m):
        z1 = X[i] @ W1 + b1
        a1 = np.maximum(z1, 0)
        s = a1 @ W2 + b2
        p = np.exp(s - np.max(s))
        p /= np.sum(p)
        d_s = p.copy()
        d_s[y[i]] -= 1
        grad_W2 += np.outer(a1, d_s) / m
        grad_b2 += d_s / m
        d_z1 = (W2 @ d_s) * (z1 > 0)
        grad_W1 += np.outer(X[i], d_z1) / m
        grad_b1 += d_z1 / m
    grad_W1 += 2 * reg * W1
    grad_W2 += 2 * reg * W2
    loss_reg = reg * (np.sum(W1**2) + np.sum(W2**2))
    return grad_W2, grad_b2, grad_W1, grad_b1


# slip (relu-geq): ReLU′ as z1 >= 0
def backprop_relu_geq(W1, b1, W2, b2, X, y, reg):
    """ReLU hidden layer, integer labels, reg·ΣW²; returns the gradients with names in another order."""
    m = X.shape[0]
    grad_W1, grad_b1 = np.zeros(W1.shape), np.zeros(b1.shape)
    grad_W2, grad_b2 = np.zeros(W2.shape), np.zeros(b2.shape)
    for i in range(m):
        z1 = X[i] @ W1 + b1
        a1 = np.maximum(z1, 0)
        s = a1 @ W2 + b2
        p = np.exp(s - np.max(s))
        p /= np.sum(p)
        d_s = p.copy()
        d_s[y[i]] -= 1
        grad_W2 += np.outer(a1, d_s) / m
        grad_b2 += d_s / m
        d_z1 = (W2 @ d_s) * (z1 >= 0)
        grad_W1 += np.outer(X[i], d_z1) / m
        grad_b1 += d_z1 / m
    grad_W1 += 2 * reg * W1
    grad_W2 += 2 * reg * W2
    loss_reg = reg * (np.sum(W1**2) + np.sum(W2**2))
    return grad_W2, grad_b2, grad_W1, grad_b1


# slip (reg-factor): reg·W with reg·ΣW²
def backprop_relu_half_reg(W1, b1, W2, b2, X, y, reg):
    """ReLU hidden layer, integer labels, reg·ΣW²; returns the gradients with names in another order."""
    m = X.shape[0]
    grad_W1, grad_b1 = np.zeros(W1.shape), np.zeros(b1.shape)
    grad_W2, grad_b2 = np.zeros(W2.shape), np.zeros(b2.shape)
    for i in range(m):
        z1 = X[i] @ W1 + b1
        a1 = np.maximum(z1, 0)
        s = a1 @ W2 + b2
        p = np.exp(s - np.max(s))
        p /= np.sum(p)
        d_s = p.copy()
        d_s[y[i]] -= 1
        grad_W2 += np.outer(a1, d_s) / m
        grad_b2 += d_s / m
        d_z1 = (W2 @ d_s) * (z1 > 0)
        grad_W1 += np.outer(X[i], d_z1) / m
        grad_b1 += d_z1 / m
    grad_W1 += reg * W1
    grad_W2 += reg * W2
    loss_reg = reg * (np.sum(W1**2) + np.sum(W2**2))
    return grad_W2, grad_b2, grad_W1, grad_b1


# slip (no-mean): no 1/m
def backprop_relu_no_mean(W1, b1, W2, b2, X, y, reg):
    """ReLU hidden layer, integer labels, reg·ΣW²; returns the gradients with names in another order."""
    m = X.shape[0]
    grad_W1, grad_b1 = np.zeros(W1.shape), np.zeros(b1.shape)
    grad_W2, grad_b2 = np.zeros(W2.shape), np.zeros(b2.shape)
    for i in range(m):
        z1 = X[i] @ W1 + b1
        a1 = np.maximum(z1, 0)
        s = a1 @ W2 + b2
        p = np.exp(s - np.max(s))
        p /= np.sum(p)
        d_s = p.copy()
        d_s[y[i]] -= 1
        grad_W2 += np.outer(a1, d_s)
        grad_b2 += d_s
        d_z1 = (W2 @ d_s) * (z1 > 0)
        grad_W1 += np.outer(X[i], d_z1)
        grad_b1 += d_z1
    grad_W1 += 2 * reg * W1
    grad_W2 += 2 * reg * W2
    loss_reg = reg * (np.sum(W1**2) + np.sum(W2**2))
    return grad_W2, grad_b2, grad_W1, grad_b1
