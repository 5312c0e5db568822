# model: linear
# label: incorrect
# fault: summed
# function: compute_gradient
# style: (x, y, w, b) loops, dj_dw and dj_db never divided by m
import numpy as np


def compute_gradient(x, y, w, b):
    m, n = x.shape
    dj_dw = np.zeros(n)
    dj_db = 0
    for i in range(m):
        f_wb = np.dot(w, x[i]) + b
        dj_db += f_wb - y[i]
        dj_dw += (f_wb - y[i]) * x[i]
    return dj_db, dj_dw
