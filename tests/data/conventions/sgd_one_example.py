import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def grad_single(theta, x_i, y_i):
    """Gradient of the log loss for a single training example (used in SGD)."""
    return (sigmoid(x_i @ theta) - y_i) * x_i
