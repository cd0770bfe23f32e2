package org.grad4j.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Allocation generations. Whoever opens a generation ({@link Storage#openGeneration}) knows that a
 * storage stamped with it was allocated after that point, so nothing older can reference it: the
 * autograd engine tells a gradient a backward formula just allocated (which it may then own, sum
 * into in place or keep as .grad) from one the formula passed through or saved.
 */
final class Generations {
    private Generations() {}

    static final AtomicLong CURRENT = new AtomicLong();
}
