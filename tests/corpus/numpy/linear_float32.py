# model: linear
# label: correct
# function: gradient
# style: float32 data, insert for the intercept
import numpy as np


def gradient(theta, X, y):
    X = np.insert(X.astype(np.float32), 0, 1.0, axis=1)
    theta = theta.astype(np.float32)
    err = X @ theta - y.astype(np.float32)
    return X.T @ err / np.float32(len(y))
