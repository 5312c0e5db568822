# model: logistic
# label: correct
# function: logloss_grad
# style: labels in {-1, +1}, loss log(1 + exp(-y w.x)), returns (loss, grad)
import numpy as np


def logloss_grad(w, X, y):
    # y must be +1/-1 here
    margins = y * (X @ w)
    loss = np.mean(np.log1p(np.exp(-margins)))
    s = 1.0 / (1.0 + np.exp(margins))       # = sigma(-y w.x)
    grad = -(X.T @ (y * s)) / X.shape[0]
    return loss, grad
