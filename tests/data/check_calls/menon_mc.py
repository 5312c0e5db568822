import numpy as np

# Preprocessing Input data
# data = pd.read_csv('data.csv')
# X = data.iloc[:, 0]
# Y = data.iloc[:, 1]

L = 0.0001  # The learning Rate
epochs = 1000  # The number of iterations to perform gradient descent


def gradients(m, c, X, Y):
    n = float(len(X))  # Number of elements in X
    Y_pred = m*X + c  # The current predicted value of Y
    D_m = (-2/n) * sum(X * (Y - Y_pred))  # Derivative wrt m
    D_c = (-2/n) * sum(Y - Y_pred)  # Derivative wrt c
    return D_m, D_c
