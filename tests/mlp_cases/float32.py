"""Everything in float32 (compared at 1e-4), ReLU as Z1 * (Z1 > 0), one-hot Y, (reg/2)·ΣW², biases (1, h)."""


import numpy as np


def forward_backward(params, X, Y, reg):
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    W1, b1 = params["W1"].astype(np.float32), params["b1"].astype(np.float32).reshape(1, -1)
    W2, b2 = params["W2"].astype(np.float32), params["b2"].astype(np.float32).reshape(1, -1)
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = Z1 * (Z1 > 0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dZ2 = (P - Y) / m
    dW2 = A1.T @ dZ2 + reg * W2
    db2 = dZ2.sum(axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    dW1 = X.T @ dZ1 + reg * W1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# slip (reg-factor): (reg/2)·W
def forward_backward_half_reg(params, X, Y, reg):
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    W1, b1 = params["W1"].astype(np.float32), params["b1"].astype(np.float32).reshape(1, -1)
    W2, b2 = params["W2"].astype(np.float32), params["b2"].astype(np.float32).reshape(1, -1)
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = Z1 * (Z1 > 0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dZ2 = (P - Y) / m
    dW2 = A1.T @ dZ2 + 0.5 * reg * W2
    db2 = dZ2.sum(axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    dW1 = X.T @ dZ1 + 0.5 * reg * W1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# slip (relu-geq): (Z1 >= 0)
def forward_backward_relu_geq(params, X, Y, reg):
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    W1, b1 = params["W1"].astype(np.float32), params["b1"].astype(np.float32).reshape(1, -1)
    W2, b2 = params["W2"].astype(np.float32), params["b2"].astype(np.float32).reshape(1, -1)
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = Z1 * (Z1 > 0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dZ2 = (P - Y) / m
    dW2 = A1.T @ dZ2 + reg * W2
    db2 = dZ2.sum(axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * (Z1 >= 0)
    dW1 = X.T @ dZ1 + reg * W1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# slip (no-mean): dZ2 = P − Y
def forward_backward_no_mean(params, X, Y, reg):
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    W1, b1 = params["W1"].astype(np.float32), params["b1"].astype(np.float32).reshape(1, -1)
    W2, b2 = params["W2"].astype(np.float32), params["b2"].astype(np.float32).reshape(1, -1)
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = Z1 * (Z1 > 0)
    Z2 = A1 @ W2 + b2
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(Y * np.log(P)) / m + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dZ2 = P - Y
    dW2 = A1.T @ dZ2 + reg * W2
    db2 = dZ2.sum(axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    dW1 = X.T @ dZ1 + reg * W1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
