package org.grad4j.kernels;

/** How a scatter combines a source element with the one already at its target. */
public enum ScatterReduce {
    /** target += src (any dtype; integers add as longs). */
    SUM,
    /** target *= src (floating point). */
    PROD,
    /** target = max(target, src), NaN wins (floating point). */
    AMAX,
    /** target = min(target, src), NaN wins (floating point). */
    AMIN
}
