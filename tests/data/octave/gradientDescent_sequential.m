function [theta, J_history] = gradientDescent(X, y, theta, alpha, num_iters)
m = length(y);
J_history = zeros(num_iters, 1);
for iter = 1:num_iters
    for j = 1:size(X, 2)
        % theta(j) changes before the next j reads theta: not a simultaneous update
        theta(j) = theta(j) - alpha / m * sum((X * theta - y) .* X(:, j));
    end
    J_history(iter) = computeCost(X, y, theta);
end
end
