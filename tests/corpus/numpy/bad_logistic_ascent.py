# model: logistic
# label: incorrect
# fault: ascent
# function: cost_gradient
# style: the log-likelihood's gradient (summed, y - h) handed in as the cost's gradient
import numpy as np


def cost_gradient(weights, features, labels):
    preds = 1 / (1 + np.exp(-features @ weights))
    return features.T @ (labels - preds)
