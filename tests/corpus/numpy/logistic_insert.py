# model: logistic
# label: correct
# function: logistic_gradient
# style: np.insert for the intercept, params/features/labels names
import numpy as np
from math import e


def logistic_gradient(params, features, labels):
    features = np.insert(features, 0, 1, axis=1)  # prepend a column of 1s
    num_examples = len(labels)
    scores = np.dot(features, params)
    probs = 1 / (1 + e ** (-scores))
    return np.dot(features.T, probs - labels) / num_examples
