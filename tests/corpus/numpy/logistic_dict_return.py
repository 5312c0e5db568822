# model: logistic
# label: correct
# function: loss_and_grad
# style: returns a dict {"loss": ..., "grad": ...}
import numpy as np


def loss_and_grad(theta, X, y):
    eps = 1e-12
    z = X @ theta
    p = 1.0 / (1.0 + np.exp(-z))
    loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    return {"loss": loss, "grad": X.T @ (p - y) / len(y)}
