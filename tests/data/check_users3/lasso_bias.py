import numpy as np


def lasso_gradient(theta, X, y, lam):
    """J = 1/(2m)||X theta - y||^2 + lam * sum_{j>=1} |theta_j|, with the intercept penalised by mistake."""
    m = len(y)
    return X.T @ (X @ theta - y) / m + lam * np.sign(theta)


def lasso_gradient_right(theta, X, y, lam):
    m = len(y)
    penalty = lam * np.sign(theta)
    penalty[0] = 0.0
    return X.T @ (X @ theta - y) / m + penalty
