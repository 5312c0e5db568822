function [J, grad] = costFunctionReg(theta, X, y, lambda)
m = length(y);
n = size(theta);       % a vector [n 1]: 2:n counts by its first entry
grad = zeros(n);

h = sigmoid(X*theta);
reg = 0;
for j = 2:n
  reg = reg + theta(j)^2;
end
J = -1/m * (y'*log(h) + (1-y)'*log(1-h)) + lambda/(2*m) * reg;

grad(1) = 1/m * sum((h - y) .* X(:,1));
for j = 2:n
  grad(j) = 1/m * sum((h - y) .* X(:,j)) + lambda/m * theta(j);
end
end
