function [J, grad] = costFunction(theta, X, y)
m = length(y);
h = sigmoid(X*theta);
J = 1/m * (-y'*log(h) - (1 - y)'*log(h));     % log(h) where log(1 - h) belongs
grad = 1/m * X' * (h - y);
end
