import numpy as np


def gradient_descent(X, y, theta, alpha, num_iters):
    """ex1's single-variable step in NumPy, the twin of gradientDescentOne.m."""
    m = len(y)
    for _ in range(num_iters):
        h = X @ theta
        t0 = theta[0] - alpha / m * np.sum(h - y)
        t1 = theta[1] - alpha / m * np.sum((h - y) * X[:, 1])
        theta = np.array([t0, t1])
    return theta


def gradient_descent_no_m(X, y, theta, alpha, num_iters):
    """The twin of gradientDescentOne_no_m.m."""
    for _ in range(num_iters):
        h = X @ theta
        theta = theta - alpha * np.array([np.sum(h - y), np.sum((h - y) * X[:, 1])])
    return theta
