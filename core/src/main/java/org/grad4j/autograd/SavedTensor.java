package org.grad4j.autograd;

import org.grad4j.Tensor;

/**
 * A tensor a backward formula needs, saved at forward time together with its version, so that
 * backward detects in-place changes and use after release (PyTorch's SavedVariable).
 */
public final class SavedTensor {
    static final String FREED_MESSAGE = "Trying to backward through the graph a second time (or directly access saved "
            + "tensors after they have already been freed). Saved intermediate values of the graph are freed when "
            + "you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
            + "the graph a second time or if you need to access saved tensors after calling backward.";

    private Tensor tensor;
    private final int savedVersion;
    private final boolean scalar;
    private boolean released;

    private SavedTensor(Tensor t, boolean scalar) {
        this.tensor = t;
        this.savedVersion = t == null ? 0 : t.version();
        this.scalar = scalar;
    }

    /** Saves {@code t} (may be null: nothing saved). */
    public static SavedTensor save(Tensor t) {
        return new SavedTensor(t, false);
    }

    /**
     * Saves a Java scalar lifted to a tensor: kept after release, as PyTorch keeps a saved Scalar,
     * so a second backward through {@code x.mul(2.0)} works.
     */
    public static SavedTensor saveScalar(Tensor t) {
        return new SavedTensor(t, true);
    }

    /** Whether this holds a Java scalar (never released). */
    public boolean isScalar() { return scalar; }

    /** The saved tensor; fails if freed by an earlier backward or modified in place since saving. */
    public Tensor unpack() {
        if (released) throw new IllegalStateException(FREED_MESSAGE);
        Tensor t = tensor;
        if (t == null) return null;
        int v = t.version();
        if (v != savedVersion) {
            Node fn;
            try {
                fn = t.gradFn();
            } catch (IllegalStateException e) {   // a view that may not be refreshed: name no owner
                fn = null;
            }
            String owner = fn == null ? "" : ", which is output " + t.outputNr() + " of " + fn.name() + ",";
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified "
                    + "by an inplace operation: [" + t.typeName() + " " + java.util.Arrays.toString(t.shape()) + "]"
                    + owner + " is at version " + v + "; expected version " + savedVersion + " instead. Hint: enable "
                    + "anomaly detection to find the operation that failed to compute its gradient, with "
                    + "Autograd.setDetectAnomaly(true). Fix: use the out-of-place op (e.g. x = x.add(y) instead of "
                    + "x.add_(y)) or clone() the tensor before changing it.");
        }
        return t;
    }

    /** Drops the reference so memory can be reclaimed; a later unpack fails with PyTorch's message. */
    public void release() {
        if (scalar) return;
        released = true;
        tensor = null;
    }

    public boolean isReleased() { return released; }

    /** The saved tensor without the version check (null once released): for aliasing checks only. */
    Tensor peek() { return tensor; }
}
