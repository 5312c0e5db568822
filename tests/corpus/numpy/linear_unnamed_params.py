# model: linear
# label: correct
# function: grad_J
# style: PRML-style names: targets t, design matrix Phi, weights v; nothing says which is which
import numpy as np


def grad_J(v, Phi, t):
    N = Phi.shape[0]
    return Phi.T @ (Phi @ v - t) / N
