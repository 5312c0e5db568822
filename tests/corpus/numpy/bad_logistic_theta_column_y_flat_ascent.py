# model: logistic
# label: incorrect
# fault: ascent
# function: gradient
# style: course notebook with a column theta and 1-D labels reshaped inside; y − h instead of h − y
import numpy as np


def gradient(theta, X, y):
    m = len(y)
    y = y.reshape(m, 1)
    predictions = 1.0 / (1.0 + np.exp(-X @ theta))
    return X.T @ (y - predictions) / m
