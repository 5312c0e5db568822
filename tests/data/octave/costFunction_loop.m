function [J, grad] = costFunction(theta, X, y)
% loops, the way the lecture's sums read
m = length(y);
n = length(theta);
J = 0;
grad = zeros(n, 1);

for i = 1:m
  h_i = sigmoid(X(i, :) * theta);
  J = J + (-y(i) * log(h_i) - (1 - y(i)) * log(1 - h_i));
  for j = 1:n
    grad(j) = grad(j) + (h_i - y(i)) * X(i, j);
  endfor
endfor

J = J / m;
grad = grad ./ m;
endfunction
