"""Gradient descent as course exercises write it: the function takes a step size and returns θ after the steps."""
import numpy as np


def gradientDescent(X, y, theta, alpha, num_iters):
    m = y.shape[0]
    theta = theta.copy()
    J_history = []
    for i in range(num_iters):
        theta = theta - (alpha / m) * (np.dot(X, theta) - y).dot(X)
        J_history.append(np.sum((X @ theta - y) ** 2) / (2 * m))
    return theta, J_history


def gradient_descent_in_place(X, y, theta, learning_rate, iterations):
    m = len(y)
    for _ in range(iterations):
        h = X @ theta
        theta -= learning_rate * (1 / m) * X.T @ (h - y)
    return theta


def gradientDescent_summed(X, y, theta, alpha, num_iters):
    for i in range(num_iters):
        theta = theta - alpha * (X @ theta - y).dot(X)
    return theta


def gradient_descent(x, y, w, b, alpha, num_iters):
    m = x.shape[0]
    for _ in range(num_iters):
        f = w * x + b
        dj_dw = np.sum((f - y) * x) / m
        dj_db = np.sum(f - y) / m
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
    return w, b


def logistic_descent(X, y, theta, alpha, num_iters):
    m = len(y)
    for _ in range(num_iters):
        h = 1 / (1 + np.exp(-X @ theta))
        theta = theta - alpha / m * X.T @ (h - y)
    return theta


def logistic_ascent_sign_slip(X, y, theta, alpha, num_iters):
    m = len(y)
    for _ in range(num_iters):
        h = 1 / (1 + np.exp(-X @ theta))
        theta = theta + alpha / m * X.T @ (h - y)
    return theta


def gradient_step(X, y, theta, alpha):
    """Takes α but returns the gradient itself (α unused): read as a gradient, not as a step."""
    m = len(y)
    return (1 / m) * X.T.dot(X.dot(theta) - y)


def logistic_gradient_ascent(X, y, theta, alpha, num_iters):
    """Ascent on the summed log-likelihood ℓ(θ) = Σ y log h + (1 − y) log(1 − h)."""
    for _ in range(num_iters):
        h = 1 / (1 + np.exp(-X @ theta))
        theta = theta + alpha * X.T @ (y - h)
    return theta
