# model: logistic-l2
# label: incorrect
# fault: penalty-scale
# function: grad_l2
# style: penalty (lambda/m) * sum(theta^2) differentiated: 2 * lambda / m * theta; adds ones with hstack
import numpy as np


def grad_l2(X, y, theta, lam):
    m = X.shape[0]
    Xb = np.hstack([np.ones((m, 1)), X])
    p = 1 / (1 + np.exp(-Xb @ theta))
    reg = 2 * lam / m * theta
    reg[0] = 0.0
    return Xb.T @ (p - y) / m + reg
