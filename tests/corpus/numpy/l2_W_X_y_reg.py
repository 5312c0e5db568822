# model: logistic-l2
# label: correct
# function: grad_reg
# style: (W, X, y, reg) with the bias in W[0], adds ones itself, penalty skips W[0]
import numpy as np


def grad_reg(W, X, y, reg):
    N = X.shape[0]
    Xa = np.hstack([np.ones((N, 1)), X])
    P = 1 / (1 + np.exp(-Xa.dot(W)))
    dW = Xa.T.dot(P - y) / N
    dW[1:] += reg * W[1:] / N
    return dW
