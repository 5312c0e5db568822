function [J, grad] = costFunction(theta, X, y)
m = length(y);
h = sigmoid(X * theta);
J = (1/m) * sum(-y .* log(h) - (1 - y) .* log(1 - h));
grad = X' * (h - y);   % forgot the 1/m
end
