function [theta, J_history] = gradientDescentMulti(X, y, theta, alpha, num_iters)
m = length(y);
J_history = zeros(num_iters, 1);
n = size(X, 2);
for iter = 1:num_iters
    temp = zeros(n, 1);
    for j = 1:n
        temp(j) = theta(j) - alpha * (1/m) * sum((X * theta - y) .* X(:, j));
    end
    theta = temp;          % simultaneous update
    J_history(iter) = computeCostMulti(X, y, theta);
end
end

function J = computeCostMulti(X, y, theta)
  m = length(y);
  J = (X * theta - y)' * (X * theta - y) / (2 * m);
end
