package org.grad4j.internal;

import org.grad4j.Tensor;
import org.grad4j.autograd.Node;
import org.grad4j.kernels.NeuralKernels.Window;

/**
 * grad4j's own door into the package-private parts of {@code org.grad4j} (a tensor's autograd fields,
 * the nn primitives) for its other packages, as the JDK's {@code SharedSecrets} are: {@link Tensor}
 * installs the one implementation when its class initializes, and this package is not exported, so
 * users on the module path cannot reach it. Callers keep it in a {@code static final} field
 * ({@code TensorAccess.get()}), so the JIT inlines every call: no cost on the per-op path.
 */
public abstract class TensorAccess {
    private static TensorAccess instance;

    protected TensorAccess() {}

    /** Called once, by {@code Tensor}'s static initializer. */
    public static void install(TensorAccess access) {
        if (instance != null) throw new IllegalStateException("TensorAccess is installed by org.grad4j.Tensor only");
        instance = access;
    }

    /** The implementation (initializes {@code Tensor} first when needed). */
    public static TensorAccess get() {
        if (instance == null) {
            try {
                Class.forName(Tensor.class.getName(), true, TensorAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        if (instance == null) throw new IllegalStateException("org.grad4j.Tensor did not install its TensorAccess");
        return instance;
    }

    // ---------------------------------------------------------------- autograd fields (Graph)
    public abstract boolean needsGrad(Tensor a);

    public abstract boolean needsGrad(Tensor a, Tensor b);

    public abstract boolean isWrappedNumber(Tensor t);

    public abstract boolean isView(Tensor t);

    /** The backend of the tensor's device, whose kernels run its ops. */
    public abstract org.grad4j.kernels.Backend backend(Tensor t);

    public abstract void setHistory(Tensor t, Node node, int outputNr);

    public abstract Tensor viewAlias(Tensor t);

    public abstract void checkInplace(Tensor t, String op);

    public abstract void rebaseHistory(Tensor t, Node node);

    public abstract void markMultiOutputViews(Tensor[] outs);

    public abstract void markCustomFunctionView(Tensor t);

    public abstract void bumpVersion(Tensor t);

    // ---------------------------------------------------------------- the engine's writes to .grad
    public abstract void setGrad(Tensor t, Tensor g);

    public abstract void addInPlaceUntracked(Tensor t, Tensor g);

    // ---------------------------------------------------------------- nn primitives (NnOps)
    public abstract Window window(int[] x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, String op);

    public abstract Tensor im2col(Tensor x, Window g);

    public abstract int firstBadTarget(Tensor target, int classes, long ignoreIndex);

    public abstract Tensor adaptiveMaxIndices(Tensor x, int oh, int ow);

    public abstract Tensor col2im(Tensor cols, Window g);

    public abstract Tensor conv2d(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw, int dh, int dw);

    public abstract Tensor batchNormF32(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                        boolean training, double momentum, double eps);

    public abstract Tensor padZeros(Tensor x, int... pads);

    public abstract int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil);

    public abstract Tensor[] maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil);

    public abstract Tensor embedding(Tensor indices, Tensor weight, long paddingIdx);
}
