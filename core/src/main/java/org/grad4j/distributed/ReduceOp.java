package org.grad4j.distributed;

/**
 * How {@link ProcessGroup#allReduce} and {@link ProcessGroup#reduceScatter} combine the ranks'
 * values ({@code torch.distributed.ReduceOp}). {@code AVG} is the sum divided by the world size.
 *
 * <pre>{@code group.allReduce(t, ReduceOp.MAX);}</pre>
 */
public enum ReduceOp { SUM, AVG, MAX }
