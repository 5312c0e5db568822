# model: linear
# label: correct
# function: grads
# style: examples in columns: X of shape (n, m), Y (1, m), w (n, 1), separate b; returns dict dw/db
import numpy as np


def grads(w, b, X, Y):
    m = X.shape[1]
    Y_hat = np.dot(w.T, X) + b
    dZ = Y_hat - Y
    dw = np.dot(X, dZ.T) / m
    db = np.sum(dZ) / m
    return {"dw": dw, "db": db}
