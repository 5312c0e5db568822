# model: logistic
# label: incorrect
# fault: summed
# function: propagate
# style: deep-learning course propagate(w, b, X, Y), X (n, m), forgot the 1/m in dw and db
import numpy as np


def propagate(w, b, X, Y):
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T)
    db = np.sum(A - Y)
    return {"dw": dw, "db": db}, cost
