# model: linear
# label: correct
# function: mse_loss_and_grad
# style: returns (loss, grad), params/features/target names
import numpy as np


def mse_loss_and_grad(params, features, target):
    n_samples = features.shape[0]
    residual = features @ params - target
    loss = 0.5 * np.mean(residual ** 2)
    grad = features.T @ residual / n_samples
    return loss, grad
