# model: logistic
# label: correct
# function: cost_grad
# style: np.column_stack for the bias, weights as a column, returns (cost, gradient) with a column gradient
import numpy as np


def cost_grad(weights, X, y):
    m = X.shape[0]
    Xb = np.column_stack([np.ones(m), X])
    w = weights.reshape(-1, 1)
    t = y.reshape(-1, 1)
    yhat = 1. / (1. + np.exp(-Xb @ w))
    cost = float(-np.mean(t * np.log(yhat) + (1 - t) * np.log(1 - yhat)))
    gradient = Xb.T @ (yhat - t) / m
    return cost, gradient
