# model: linear
# label: incorrect
# fault: inner-derivative
# function: update_direction
# style: the mean error in every component, the x_j factor left out
import numpy as np


def update_direction(theta, X, y):
    error = np.mean(X @ theta - y)
    return error * np.ones_like(theta)
