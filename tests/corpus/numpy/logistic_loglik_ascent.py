# model: logistic
# label: correct
# function: log_likelihood_gradient
# style: the log-likelihood's gradient, summed, for gradient ascent (named so)
import numpy as np


def sigmoid(scores):
    return 1 / (1 + np.exp(-scores))


def log_likelihood_gradient(features, target, weights):
    # d/dw of sum(y*score - log(1 + exp(score)))
    scores = np.dot(features, weights)
    predictions = sigmoid(scores)
    output_error_signal = target - predictions
    return np.dot(features.T, output_error_signal)
