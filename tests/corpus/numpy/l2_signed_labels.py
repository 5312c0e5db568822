# model: logistic-l2
# label: correct
# function: grad
# style: labels in {-1, +1}, sigma(-y z) form, L2 on all weights except the bias w[0]
import numpy as np


def grad(w, X, y, lam):
    n = len(y)
    z = X.dot(w)
    coef = -y / (1 + np.exp(y * z))
    g = X.T.dot(coef) / n
    g[1:] += lam * w[1:] / n
    return g
