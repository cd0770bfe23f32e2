package org.grad4j.optim;

import java.util.List;
import java.util.Map;

/**
 * An optimizer's state in PyTorch's layout: {@code state} maps a parameter's index (counted
 * across all groups in order) to its buffers ({@code "step"}, {@code "exp_avg"}... as tensors,
 * or numbers), and {@code paramGroups} holds each group's options plus {@code "params"}: the
 * list of its parameters' indices.
 *
 * <pre>{@code
 * OptimizerStateDict sd = opt.stateDict();
 * Tensor m = (Tensor) sd.state().get(0).get("exp_avg");
 * }</pre>
 */
public record OptimizerStateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) {}
