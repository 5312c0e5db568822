"""Single-variable course labs: x of shape (m,), w and b numbers (as in the Machine Learning Specialization)."""
import math

import numpy as np


def compute_gradient(x, y, w, b):
    m = x.shape[0]
    dj_dw = 0
    dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw_i = (f_wb - y[i]) * x[i]
        dj_db_i = f_wb - y[i]
        dj_db += dj_db_i
        dj_dw += dj_dw_i
    dj_dw = dj_dw / m
    dj_db = dj_db / m
    return dj_dw, dj_db


def compute_gradient_db_first(x, y, w, b):
    m = x.shape[0]
    f = w * x + b
    dj_dw = np.sum((f - y) * x) / m
    dj_db = np.sum(f - y) / m
    return dj_db, dj_dw


def compute_gradient_unnamed(x, y, w, b):
    err = w * x + b - y
    return np.mean(err * x), np.mean(err)


def compute_gradient_bias_not_averaged(x, y, w, b):
    m = x.shape[0]
    dj_dw = 0
    dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw += (f_wb - y[i]) * x[i]
        dj_db += f_wb - y[i]
    dj_dw = dj_dw / m
    return dj_dw, dj_db


def compute_gradient_logistic(x, y, w, b):
    m = len(x)
    dj_dw, dj_db = 0.0, 0.0
    for i in range(m):
        f = 1 / (1 + math.exp(-(w * x[i] + b)))
        dj_dw += (f - y[i]) * x[i]
        dj_db += f - y[i]
    return dj_dw / m, dj_db / m


def compute_gradient_logistic_sign(x, y, w, b):
    m = len(x)
    f = 1 / (1 + np.exp(-(w * x + b)))
    dj_dw = np.sum((y - f) * x) / m
    dj_db = np.sum(y - f) / m
    return dj_dw, dj_db
