function theta = gradientDescent(X, y, theta, alpha, num_iters)
% the step without the 1/m: the summed cost's gradient
for iter = 1:num_iters
    h = X * theta;
    theta = theta - alpha * [sum(h - y); sum((h - y) .* X(:, 2))];
end
end
