# model: logistic
# label: incorrect
# fault: sigmoid-missing
# function: dloss
# style: short names (A, t, u) in (data, targets, weights) order; the logistic link is forgotten
import numpy as np


def dloss(A, t, u):
    return A.T.dot(A.dot(u) - t) / len(t)
