# model: logistic
# label: incorrect
# fault: sigmoid-missing
# function: gradient
# style: np.append puts the ones column last (bias is the last weight); the sigmoid is forgotten
import numpy as np


def gradient(w, x, y):
    x = np.append(x, np.ones((len(x), 1)), axis=1)
    return x.T @ (x @ w - y) / len(y)
