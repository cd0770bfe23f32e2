package org.grad4j.ops;

import java.util.Arrays;

/**
 * What one side (grad4j or libtorch) made of a case, as plain values: the forward result or the error it
 * raised, then the first gradients (and second gradients) of every differentiable input, or the error
 * raised while computing them. A null gradient means "no gradient" (unused input), compared as zeros.
 */
final class Outcome {
    String error;
    String dtype;
    long[] shape;
    double[] values;
    String gradError;
    double[][] grads;
    String grad2Error;
    double[][] grads2;

    static Outcome failed(Throwable e) {
        Outcome o = new Outcome();
        o.error = message(e);
        return o;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null) m = e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        if (nl > 0) m = m.substring(0, nl);
        return e.getClass().getSimpleName() + ": " + (m.length() > 160 ? m.substring(0, 160) + "..." : m);
    }

    static String show(double[] v) {
        if (v == null) return "none";
        if (v.length <= 12) return Arrays.toString(v);
        return Arrays.toString(Arrays.copyOf(v, 12)).replace("]", ", ... (" + v.length + ")]");
    }
}
