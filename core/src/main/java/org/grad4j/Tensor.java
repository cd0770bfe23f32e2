package org.grad4j;

import org.grad4j.autograd.AccumulateGrad;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.GradOptions;
import org.grad4j.autograd.Node;
import org.grad4j.autograd.RemovableHandle;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.UnaryOp;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array with automatic differentiation, the counterpart of {@code torch.Tensor}.
 * A tensor is a view (shape, strides, offset) of a {@link Storage}; views share storage. When
 * grad mode is on and an input {@link #requiresGrad() requires grad}, each op records a
 * {@link Node} so that {@link #backward()} can compute gradients.
 *
 * <pre>{@code
 * import static org.grad4j.Grad4j.*;
 *
 * Tensor x = tensor(2.0).requiresGrad_();
 * Tensor y = x.pow(2).add(x.mul(3)).add(1);   // y = x**2 + 3*x + 1
 * y.backward();
 * x.grad();                                    // tensor(7.)
 * }</pre>
 *
 * Naming follows PyTorch in camelCase; a trailing underscore marks in-place ops ({@code add_},
 * {@code zero_}). Java scalars follow Python's rules: a {@code long} is an int scalar, a
 * {@code double} a float scalar ({@code float32 tensor * 2.0} stays float32).
 */
public final class Tensor {
    // first, before any other static state: grad4j's other packages reach the package-private parts
    // below through org.grad4j.internal (Graph, NnOps), which is not exported
    static {
        org.grad4j.internal.TensorAccess.install(new TensorInternals());
        org.grad4j.kernels.SimdNotice.install(message -> Warnings.warnOnce("grad4j.no-simd", message));
    }

    // ------------------------------------------------------------------ data
    // not final: setData swaps them, as PyTorch's `x.data = y` does (Module.to keeps its parameters)
    Storage storage;
    int[] shape;
    int[] strides;
    int offset;
    DType dtype;
    VersionCounter version;
    /** The root tensor this one is a differentiable view of (PyTorch's _base), or null. */
    Tensor base;
    /** For views: the version at which gradFn was last set (PyTorch's attr_version), see ViewTracking. */
    int viewVersion;
    /** For views: how the view was created (ViewTracking.DEFAULT, NO_GRAD_MODE, ...). */
    byte creationMeta;
    /** A Java scalar lifted to a 0-d tensor: takes part in type promotion as a Python number. */
    boolean wrappedNumber;

    // ------------------------------------------------------------------ autograd
    boolean leafRequiresGrad;
    Node gradFn;
    int outputNr;
    Tensor grad;
    AccumulateGrad accumulator;
    boolean retainsGrad;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = storage.dtype();
        this.version = new VersionCounter();
    }

    /** A new contiguous, zero-filled tensor on the CPU. */
    static Tensor empty(int[] shape, DType dtype) {
        int n = Shapes.numel(shape);
        return new Tensor(Storage.allocate(dtype, n), shape, Shapes.contiguousStrides(shape), 0);
    }

    /** A new contiguous, zero-filled tensor on {@code device} (the array is kept, not copied). */
    static Tensor empty(int[] shape, DType dtype, Device device) {
        if (device.isCpu()) return empty(shape, dtype);
        if (!device.isCuda()) throw new IllegalArgumentException("unknown device " + device + ". Fix: use Device.CPU or Device.cuda(i)");
        int n = Shapes.numel(shape);
        return new Tensor(org.grad4j.storage.CudaStorage.allocate(dtype, n, device.index()), shape, Shapes.contiguousStrides(shape), 0);
    }

    /**
     * A new contiguous, zero-filled tensor on the device of {@code like}: how ops allocate their outputs
     * (one type check on the CPU path).
     */
    static Tensor emptyLike(Tensor like, int[] shape, DType dtype) {
        if (!(like.storage instanceof org.grad4j.storage.CudaStorage c)) return empty(shape, dtype);
        return new Tensor(org.grad4j.storage.CudaStorage.allocate(dtype, Shapes.numel(shape), c.deviceIndex()),
                shape, Shapes.contiguousStrides(shape), 0);
    }

    /** A view of this tensor's storage with new geometry; shares the version counter. */
    Tensor makeView(int[] newShape, int[] newStrides, int newOffset) {
        Tensor v = new Tensor(storage, newShape, newStrides, newOffset);
        v.version = version;
        v.base = base != null ? base : this;
        v.viewVersion = version.version;
        v.creationMeta = ViewTracking.creationMeta(this);
        return v;
    }

    /** Zeros of a shape and dtype on the CPU. */
    public static Tensor zerosOf(int[] shape, DType dtype) {
        return empty(shape.clone(), dtype);
    }

    /** Zeros of a shape and dtype on {@code device} (used by the engine for absent gradients). */
    public static Tensor zerosOf(int[] shape, DType dtype, Device device) {
        return empty(shape.clone(), dtype, device);
    }

    static Tensor wrapScalar(double v) {
        Tensor t = empty(Shapes.SCALAR, DType.FLOAT64);
        t.storage.setDouble(0, v);
        t.wrappedNumber = true;
        return t;
    }

    static Tensor wrapScalar(long v) {
        Tensor t = empty(Shapes.SCALAR, DType.INT64);
        t.storage.setLong(0, v);
        t.wrappedNumber = true;
        return t;
    }

    // ------------------------------------------------------------------ metadata

    /** The sizes, like {@code tensor.shape} (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Same as {@link #shape()}, like {@code tensor.size()}. */
    public int[] size() { return shape.clone(); }

    /** Size of one dimension; negative dims count from the end. */
    public int size(int dim) { return shape[Shapes.wrapDim(dim, shape.length, "size")]; }

    /** Number of dimensions. */
    public int dim() { return shape.length; }

    /** Number of elements. */
    public int numel() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Element steps per dimension (a copy), like {@code tensor.stride()}. */
    public int[] stride() { return strides.clone(); }

    public int stride(int dim) { return strides[Shapes.wrapDim(dim, shape.length, "stride")]; }

    /** Like {@code tensor.storage_offset()}. */
    public int storageOffset() { return offset; }

    public DType dtype() { return dtype; }

    /** Where this tensor's storage lives, like {@code tensor.device}: {@code cpu} or {@code cuda:i}. */
    public Device device() {
        return storage instanceof org.grad4j.storage.CudaStorage c ? Device.cuda(c.deviceIndex()) : Device.CPU;
    }

    /** Whether this tensor lives on a CUDA device, like {@code tensor.is_cuda}. */
    public boolean isCuda() { return storage instanceof org.grad4j.storage.CudaStorage; }

    /**
     * The backend whose kernels run this tensor's ops, chosen from its device (the seam ops call
     * through): one type check on the CPU path.
     */
    org.grad4j.kernels.Backend backend() {
        return storage instanceof org.grad4j.storage.CudaStorage c ? org.grad4j.internal.CudaBackends.of(c.deviceIndex())
                : org.grad4j.kernels.Backend.cpu();
    }

    /** This tensor's storage geometry, as kernels take it (the arrays are shared, not copied). */
    org.grad4j.storage.Strided strided() { return new org.grad4j.storage.Strided(storage, shape, strides, offset); }

    /**
     * The storage shared by this tensor and its views (for kernels and interop). Its package,
     * {@code org.grad4j.storage}, is not exported: on the module path only grad4j itself can use it.
     */
    public Storage storage() { return storage; }

    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    public boolean isFloatingPoint() { return dtype.isFloatingPoint(); }

    /** Count of in-place changes (PyTorch's {@code _version}); shared with views and detach(). */
    public int version() { return version.version; }

    /** PyTorch's legacy type name, e.g. {@code torch.FloatTensor} without the prefix: "FloatTensor". */
    public String typeName() {
        return switch (dtype) {
            case FLOAT32 -> "torch.FloatTensor";
            case FLOAT64 -> "torch.DoubleTensor";
            case INT64 -> "torch.LongTensor";
            case INT32 -> "torch.IntTensor";
            case INT16 -> "torch.ShortTensor";
            case INT8 -> "torch.CharTensor";
            case UINT8 -> "torch.ByteTensor";
            case BOOL -> "torch.BoolTensor";
        };
    }

    /** Offset in storage of the element at a multi-index. */
    int offsetOf(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " indices for a tensor of shape "
                    + Shapes.str(shape) + ", got " + idx.length);
        }
        int o = offset;
        for (int d = 0; d < idx.length; d++) {
            int i = idx[d];
            if (i < -shape[d] || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + d + " with size " + shape[d]);
            }
            o += (i < 0 ? i + shape[d] : i) * strides[d];
        }
        return o;
    }

    // ------------------------------------------------------------------ element access

    /** The value of a one-element tensor as a double, like {@code tensor.item()}. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements cannot be converted to Scalar; "
                    + "item() needs exactly one element (shape " + Shapes.str(shape) + "). Fix: index or reduce first, "
                    + "e.g. t.sum().item()");
        }
        return storage.getDouble(offset);
    }

    /** The value of a one-element integer tensor, exact for all int64 values. */
    public long itemLong() {
        if (numel() != 1) item();
        return storage.getLong(offset);
    }

    /** The value of a one-element bool tensor. */
    public boolean itemBool() { return item() != 0; }

    /** Element at a multi-index as a double: {@code t.getDouble(1, 0)}. */
    public double getDouble(int... idx) { return storage.getDouble(offsetOf(idx)); }

    /** Element at a multi-index as a long. */
    public long getLong(int... idx) { return storage.getLong(offsetOf(idx)); }

    /** All elements in row-major order as doubles (a copy). */
    public double[] toDoubleArray() {
        Tensor c = OpSupport.cast(this, DType.FLOAT64);
        return (double[]) c.backend().elementwise().toArray(c.strided());
    }

    /** All elements in row-major order as floats (a copy). */
    public float[] toFloatArray() {
        Tensor c = OpSupport.cast(this, DType.FLOAT32);
        return (float[]) c.backend().elementwise().toArray(c.strided());
    }

    /** All elements in row-major order as longs (a copy; floats truncate). */
    public long[] toLongArray() {
        Tensor c = OpSupport.cast(this, DType.INT64);
        return (long[]) c.backend().elementwise().toArray(c.strided());
    }

    /** Contiguous data without recording a graph (for reading values). */
    Tensor contiguousData() {
        if (isContiguous()) return this;
        Tensor out = emptyLike(this, shape.clone(), dtype);
        backend().elementwise().copy(strided(), out.strided());
        return out;
    }

    /** True if any element is NaN (floating dtypes). */
    public boolean hasNan() {
        if (!dtype.isFloatingPoint()) return false;
        return backend().elementwise().anyNaN(strided());
    }

    // ------------------------------------------------------------------ autograd API

    /** Whether gradients are tracked for this tensor (PyTorch's {@code requires_grad}). */
    public boolean requiresGrad() {
        // a view of a tensor that requires grad does too, even one made under noGrad (PyTorch)
        return leafRequiresGrad || gradFn != null || (base != null && (base.leafRequiresGrad || base.gradFn != null));
    }

    /** Whether this tensor is a differentiable view of another (PyTorch's {@code _is_view()}). */
    public boolean isView() { return base != null; }

    /** The tensor this one is a view of ({@code ._base}), or null. */
    public Tensor viewBase() { return base; }

    /** Same as {@code requiresGrad_(true)}: returns this, so {@code tensor(2.0).requiresGrad_()} reads well. */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /**
     * Starts or stops tracking gradients of this leaf, in place.
     *
     * @throws IllegalStateException for a non-floating dtype or for turning it off on a non-leaf
     */
    public Tensor requiresGrad_(boolean on) {
        if (on && !dtype.isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point and complex dtype can require gradients "
                    + "(this tensor is " + dtype + "). Fix: convert first, e.g. t.to(DType.FLOAT32).requiresGrad_(), "
                    + "or create it from double values / with Grad4j.tensor(..., DType.FLOAT32)");
        }
        if (gradFn != null) {
            if (!on) {
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to "
                        + "use a computed variable in a subgraph that doesn't require differentiation use "
                        + "var_no_grad = var.detach().");
            }
            return this;
        }
        leafRequiresGrad = on;
        return this;
    }

    /** The node that created this tensor ({@code grad_fn}), or null for leaves. */
    public Node gradFn() {
        if (base != null) ViewTracking.refresh(this);
        return gradFn;
    }

    /** Which output of {@link #gradFn()} this tensor is. */
    public int outputNr() {
        if (base != null) ViewTracking.refresh(this);
        return outputNr;
    }

    /**
     * PyTorch's rule: a tensor is a leaf if it does not require grad, or if the user created it
     * (it has no grad_fn).
     */
    public boolean isLeaf() { return gradFn == null; }

    /**
     * The accumulated gradient, or null. Reading it on a non-leaf that does not retain its grad
     * returns null and warns once, as PyTorch does.
     */
    public Tensor grad() {
        if (gradFn != null && !retainsGrad && grad == null) {
            Warnings.warnOnce("non-leaf-grad", "The .grad attribute of a Tensor that is not a leaf Tensor is being "
                    + "accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want "
                    + "the .grad field to be populated for a non-leaf Tensor, use .retainGrad() on the non-leaf Tensor. "
                    + "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.");
        }
        return grad;
    }

    /** The gradient without the non-leaf warning (engine and optimizers). */
    public Tensor gradNoWarn() { return grad; }

    /** Sets {@code .grad} (null clears it); shape and dtype must match, as in PyTorch. */
    public void setGrad(Tensor g) {
        if (g != null) {
            if (!Arrays.equals(g.shape, shape)) {
                throw new IllegalArgumentException("assigned grad has data of a different size: grad shape "
                        + Shapes.str(g.shape) + ", tensor shape " + Shapes.str(shape));
            }
            if (g.dtype != dtype) {
                throw new IllegalArgumentException("assigned grad has data of a different type: grad is " + g.dtype
                        + ", tensor is " + dtype + ". Fix: g.to(t.dtype())");
            }
        }
        grad = g;
    }

    /** Makes backward store this non-leaf's gradient in {@link #grad()}; no-op on leaves. */
    public Tensor retainGrad() {
        if (!requiresGrad()) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        Node fn = gradFn();
        if (fn == null || retainsGrad) return this;
        retainsGrad = true;
        fn.retainGrad(outputNr, this);
        return this;
    }

    public boolean retainsGrad() { return retainsGrad; }

    /**
     * Registers a hook called with this tensor's gradient during backward. A hook that returns a
     * tensor replaces the gradient; one that returns null only observes it.
     *
     * <pre>{@code
     * y.registerHook(g -> { System.out.println(g); return null; });
     * y.registerHook(g -> g.mul(3));     // triples the gradient that flows on
     * }</pre>
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad()) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        Node fn = gradFn();
        if (fn != null) return fn.addTensorPreHook(outputNr, hook);
        AccumulateGrad acc = gradAccumulator();
        if (acc == null) {
            throw new IllegalStateException("cannot register a hook on a view made under noGrad() (it has no history). Fix: "
                    + "create the view outside the noGrad block");
        }
        return acc.addTensorPreHook(0, hook);
    }

    /** Like {@code register_post_accumulate_grad_hook}: runs after a leaf's .grad was updated. */
    public RemovableHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        if (gradFn != null || !leafRequiresGrad) {
            throw new IllegalStateException("post accumulate grad hooks can only be registered on leaf tensors that require grad");
        }
        return gradAccumulator().addPostAccumulateHook(hook);
    }

    /** The AccumulateGrad node of a leaf that requires grad (created on first use). */
    public AccumulateGrad gradAccumulator() {
        if (gradFn != null || !leafRequiresGrad) return null;
        AccumulateGrad a = accumulator;
        if (a == null) {
            synchronized (this) {
                if (accumulator == null) accumulator = new AccumulateGrad(this);
                a = accumulator;
            }
        }
        return a;
    }

    /** Records the node that produced this tensor (ops and custom functions). */
    void setHistory(Node node, int nr) {
        gradFn = node;
        outputNr = nr;
        if (base != null) {
            viewVersion = version.version;
            // an op that built this view under noGrad and recorded it now made it an ordinary view
            if (creationMeta == ViewTracking.NO_GRAD_MODE && node != null) creationMeta = ViewTracking.DEFAULT;
        }
    }

    /** Backward from a one-element tensor: {@code loss.backward()}. */
    public void backward() { Autograd.backward(this, GradOptions.defaults()); }

    /** Backward with an explicit gradient of this tensor's shape (vector-Jacobian product). */
    public void backward(Tensor gradient) { Autograd.backward(this, GradOptions.defaults().gradient(gradient)); }

    /**
     * {@code backward(gradient, retain_graph)}: {@code gradient} is dL/d(this), null for a
     * one-element tensor (meaning 1); {@code retainGraph} keeps the saved tensors so that the graph
     * can be run backward again.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, GradOptions.defaults().gradient(gradient).retainGraph(retainGraph));
    }

    /**
     * {@code backward(gradient, retain_graph, create_graph)}: as {@link #backward(Tensor, boolean)};
     * {@code createGraph} also records the backward pass, so that the gradients have a
     * {@code gradFn} and can be differentiated again (second derivatives).
     *
     * <pre>{@code
     * x.pow(3).backward(null, false, true);      // x.grad() = 3x^2, differentiable
     * Tensor g2 = Autograd.grad(x.grad(), x);    // 6x
     * }</pre>
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, GradOptions.defaults().gradient(gradient).retainGraph(retainGraph).createGraph(createGraph));
    }

    /** Backward with every PyTorch option: {@code y.backward(GradOptions.defaults().createGraph(true))}. */
    public void backward(GradOptions options) { Autograd.backward(this, options); }

    /** A tensor sharing storage and version counter, cut from the graph (PyTorch's detach()). */
    public Tensor detach() {
        Tensor d = new Tensor(storage, shape, strides, offset);
        d.version = version;   // a non-differentiable view: shares the version, but no base (PyTorch)
        return d;
    }

    /** The grad_fn name printing shows: up to date for views, and printing never throws. */
    private String printedGradFnName() {
        Node fn;
        try {
            fn = gradFn();
        } catch (IllegalStateException e) {   // a view that may not be refreshed: show what it had
            fn = gradFn;
        }
        return fn == null ? null : fn.name();
    }

    /** Cuts this tensor from the graph in place; it becomes a leaf that does not require grad. */
    public Tensor detach_() {
        if (base != null && base.requiresGrad()) {
            throw new IllegalStateException("Can't detach views in-place. Use detach() instead.");
        }
        gradFn = null;
        outputNr = 0;
        leafRequiresGrad = false;
        return this;
    }

    /**
     * The values without autograd: shares storage but not the version counter, so changes through
     * it are invisible to autograd's in-place checks (PyTorch's {@code .data}; prefer detach()).
     */
    public Tensor data() {
        return new Tensor(storage, shape, strides, offset);
    }

    /**
     * PyTorch's {@code x.data = src}: this tensor object now uses {@code src}'s storage, shape,
     * strides and dtype (shared, not copied), untracked by autograd, and keeps everything else:
     * its identity, requires_grad, hooks, version counter, {@code .grad}. This is how
     * {@code Module.to(dtype)} converts parameters without replacing them, so an optimizer or a
     * hook that holds a parameter keeps working.
     *
     * <pre>{@code
     * Tensor w = Parameter.of(Grad4j.ones(2));
     * w.setData(w.detach().to(DType.FLOAT64));     // w.data = w.data.double()
     * w.dtype();                                   // torch.float64, still the same object
     * }</pre>
     */
    public void setData(Tensor src) {
        if (src == this) return;
        if (gradFn != null) {
            throw new IllegalArgumentException("setData: only a leaf's data can be replaced, this tensor has grad_fn=" + gradFn.name()
                    + ". Fix: detach() it first, or replace the data of the leaf it came from");
        }
        if (leafRequiresGrad && !src.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("setData: data set to a tensor that requires gradients must be floating point "
                    + "dtype, got " + src.dtype + ". Fix: convert to a floating dtype, or call requiresGrad_(false) first");
        }
        storage = src.storage;
        shape = src.shape.clone();
        strides = src.strides.clone();
        offset = src.offset;
        dtype = src.dtype;
        base = null;
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch's repr, e.g. {@code tensor([1., 2.], requires_grad=True)}. */
    @Override
    public String toString() {
        TensorFormatter.Kind kind = dtype.isFloatingPoint() ? TensorFormatter.Kind.FLOATING
                : dtype == DType.BOOL ? TensorFormatter.Kind.BOOL : TensorFormatter.Kind.INTEGRAL;
        Tensor c = contiguousData();
        if (c.isCuda()) c = new Tensor(c.storage.copyToHeap(), c.shape, c.strides, c.offset);   // one copy, not one per element
        int off = c.offset;
        Storage st = c.storage;
        boolean showDtype = !(dtype == DType.FLOAT32 || dtype == DType.INT64 || dtype == DType.BOOL);
        return TensorFormatter.repr(shape, kind, i -> st.getDouble(off + i), i -> st.getLong(off + i),
                dtype.torchName(), showDtype, dtype == DType.FLOAT32,
                printedGradFnName(), requiresGrad(), PrintOptions.get(), isCuda() ? device().toString() : null);
    }

    // ------------------------------------------------------------------ conversions

    /** A copy in another dtype (this tensor if it already has it), like {@code tensor.to(dtype)}. */
    public Tensor to(DType target) { return UnaryOps.toDtype(this, target); }

    /**
     * This tensor on {@code device}, like {@code tensor.to(device)}: this tensor itself when it is already
     * there, else a copy recorded as ToCopyBackward0 (the gradient moves back). The copy keeps the strides
     * of a non-overlapping dense tensor (a transposed one stays transposed) and is contiguous (or
     * channels-last, as PyTorch's {@code preserve_format}) when the tensor has gaps or overlaps. Copies to and
     * from a CUDA device are synchronous: the values are there when this returns.
     *
     * <pre>{@code
     * Device device = Device.cudaIsAvailable() ? Device.cuda(0) : Device.CPU;
     * Tensor x = Grad4j.randn(4, 3).to(device);
     * }</pre>
     */
    public Tensor to(Device device) { return DeviceOps.to(this, device, dtype); }

    /** This tensor on {@code device} in {@code dtype}, in one copy ({@code tensor.to(device, dtype)}). */
    public Tensor to(Device device, DType dtype) { return DeviceOps.to(this, device, dtype); }

    /**
     * Whether this tensor lives in page-locked (pinned) host memory, like {@code tensor.is_pinned()}: true for the
     * results of {@link #pinMemory()} and their views, false for every CUDA tensor and whenever no CUDA device is
     * available.
     *
     * <pre>{@code
     * Grad4j.ones(3).isPinned();                                          // false
     * if (Device.cudaIsAvailable()) Grad4j.ones(3).pinMemory().isPinned(); // true
     * }</pre>
     */
    public boolean isPinned() { return PinnedMemory.isPinned(this); }

    /**
     * A copy of this CPU tensor in page-locked (pinned) host memory, like {@code tensor.pin_memory()}: the GPU's copy
     * engine reads it directly, so a later {@code to(cuda)} is one copy. This tensor itself when already pinned; the
     * copy keeps the strides (contiguous when they overlap, e.g. an expanded view) and passes gradients through
     * (PinMemoryBackward0). Raises PyTorch's "Cannot access accelerator device when none is available." without a
     * CUDA device, and for a CUDA tensor.
     *
     * <pre>{@code
     * Tensor batch = Grad4j.randn(64, 784);
     * if (Device.cudaIsAvailable()) batch = batch.pinMemory();   // then batch.to(Device.cuda(0)) copies once
     * }</pre>
     */
    public Tensor pinMemory() { return PinnedMemory.pin(this); }

    /** This tensor on the CPU, like {@code tensor.cpu()} (itself when already there; waits for the device). */
    public Tensor cpu() { return to(Device.CPU); }

    /** This tensor on CUDA device 0, like {@code tensor.cuda()}. */
    public Tensor cuda() { return to(Device.cuda(0)); }

    /** This tensor on CUDA device {@code index}, like {@code tensor.cuda(index)}. */
    public Tensor cuda(int index) { return to(Device.cuda(index)); }

    public Tensor toFloat() { return to(DType.FLOAT32); }

    public Tensor toDouble() { return to(DType.FLOAT64); }

    public Tensor toLong() { return to(DType.INT64); }

    public Tensor toInt() { return to(DType.INT32); }

    public Tensor toBool() { return to(DType.BOOL); }

    /** A copy with its own storage (recorded as CloneBackward0). */
    @Override
    public Tensor clone() { return UnaryOps.cloneOp(this); }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() { return isContiguous() ? this : UnaryOps.cloneOp(this); }

    // ------------------------------------------------------------------ arithmetic

    public Tensor add(Tensor other) { return BinaryOps.add(this, other, 1); }

    /** {@code self + alpha * other}, like {@code torch.add(self, other, alpha=alpha)}. */
    public Tensor add(Tensor other, double alpha) { return BinaryOps.add(this, other, alpha); }

    public Tensor add(double s) { return BinaryOps.add(this, wrapScalar(s), 1); }

    public Tensor add(long s) { return BinaryOps.add(this, wrapScalar(s), 1); }

    public Tensor sub(Tensor other) { return BinaryOps.sub(this, other, 1); }

    public Tensor sub(Tensor other, double alpha) { return BinaryOps.sub(this, other, alpha); }

    public Tensor sub(double s) { return BinaryOps.sub(this, wrapScalar(s), 1); }

    public Tensor sub(long s) { return BinaryOps.sub(this, wrapScalar(s), 1); }

    /** {@code s - self} (Python's {@code s - t}; node RsubBackward1). */
    public Tensor rsub(double s) { return BinaryOps.rsub(this, wrapScalar(s)); }

    public Tensor rsub(long s) { return BinaryOps.rsub(this, wrapScalar(s)); }

    public Tensor mul(Tensor other) { return BinaryOps.mul(this, other); }

    public Tensor mul(double s) { return BinaryOps.mul(this, wrapScalar(s)); }

    public Tensor mul(long s) { return BinaryOps.mul(this, wrapScalar(s)); }

    /** True division: integer inputs give a floating result, like Python's {@code /}. */
    public Tensor div(Tensor other) { return BinaryOps.div(this, other); }

    public Tensor div(double s) { return BinaryOps.div(this, wrapScalar(s)); }

    public Tensor div(long s) { return BinaryOps.div(this, wrapScalar(s)); }

    /** {@code s / self} (Python's {@code s / t}). */
    public Tensor rdiv(double s) { return BinaryOps.div(wrapScalar(s), this); }

    public Tensor neg() { return UnaryOps.neg(this); }

    public Tensor pow(double exponent) { return BinaryOps.powScalar(this, wrapScalar(exponent)); }

    public Tensor pow(long exponent) { return BinaryOps.powScalar(this, wrapScalar(exponent)); }

    public Tensor pow(Tensor exponent) { return BinaryOps.powTensor(this, exponent); }

    /** {@code base ** self} for a Java scalar base (PowBackward2). */
    public Tensor rpow(double base) { return BinaryOps.rpow(wrapScalar(base), this); }

    public Tensor exp() { return UnaryOps.unary(UnaryOp.EXP, this); }

    public Tensor log() { return UnaryOps.unary(UnaryOp.LOG, this); }

    public Tensor sqrt() { return UnaryOps.unary(UnaryOp.SQRT, this); }

    public Tensor abs() { return UnaryOps.unary(UnaryOp.ABS, this); }

    public Tensor tanh() { return UnaryOps.unary(UnaryOp.TANH, this); }

    public Tensor sigmoid() { return UnaryOps.unary(UnaryOp.SIGMOID, this); }

    public Tensor relu() { return UnaryOps.unary(UnaryOp.RELU, this); }

    public Tensor sign() { return UnaryOps.unary(UnaryOp.SIGN, this); }

    public Tensor sin() { return UnaryOps.unary(UnaryOp.SIN, this); }

    public Tensor cos() { return UnaryOps.unary(UnaryOp.COS, this); }

    public Tensor reciprocal() { return UnaryOps.unary(UnaryOp.RECIPROCAL, this); }

    /** {@code x ** 2} (PowBackward0, as PyTorch's square). */
    public Tensor square() { return dtype == DType.BOOL ? BinaryOps.mul(toLong(), toLong()) : pow(2L); }

    // ------------------------------------------------------------------ more elementwise math (UnaryOps)

    /** {@code 2 ** x}. */
    public Tensor exp2() { return UnaryOps.exp2(this); }

    /** {@code exp(x) - 1}, accurate near 0. */
    public Tensor expm1() { return UnaryOps.expm1(this); }

    /** {@code log(1 + x)}, accurate near 0. */
    public Tensor log1p() { return UnaryOps.log1p(this); }

    public Tensor log2() { return UnaryOps.log2(this); }

    public Tensor log10() { return UnaryOps.log10(this); }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() { return UnaryOps.rsqrt(this); }

    public Tensor tan() { return UnaryOps.tan(this); }

    public Tensor asin() { return UnaryOps.asin(this); }

    public Tensor acos() { return UnaryOps.acos(this); }

    public Tensor atan() { return UnaryOps.atan(this); }

    public Tensor sinh() { return UnaryOps.sinh(this); }

    public Tensor cosh() { return UnaryOps.cosh(this); }

    public Tensor asinh() { return UnaryOps.asinh(this); }

    public Tensor acosh() { return UnaryOps.acosh(this); }

    public Tensor atanh() { return UnaryOps.atanh(this); }

    /** The Gauss error function. */
    public Tensor erf() { return UnaryOps.erf(this); }

    public Tensor erfc() { return UnaryOps.erfc(this); }

    /** {@code x - trunc(x)} (sign of x). */
    public Tensor frac() { return UnaryOps.frac(this); }

    public Tensor floor() { return UnaryOps.unary(UnaryOp.FLOOR, this); }

    public Tensor ceil() { return UnaryOps.unary(UnaryOp.CEIL, this); }

    /** Rounds half to even, like {@code torch.round}. */
    public Tensor round() { return UnaryOps.unary(UnaryOp.ROUND, this); }

    public Tensor trunc() { return UnaryOps.unary(UnaryOp.TRUNC, this); }

    /** NaN to 0, +-inf to the largest/smallest finite value of the dtype. */
    public Tensor nanToNum() { return UnaryOps.nanToNum(this, 0.0, null, null); }

    /** {@code nan_to_num(nan, posinf, neginf)}; a null infinity bound keeps the dtype's extreme. */
    public Tensor nanToNum(double nan, Double posinf, Double neginf) { return UnaryOps.nanToNum(this, nan, posinf, neginf); }

    public Tensor isnan() { return UnaryOps.isnan(this); }

    public Tensor isinf() { return UnaryOps.isinf(this); }

    public Tensor isfinite() { return UnaryOps.isfinite(this); }

    // ------------------------------------------------------------------ activations (also F.xxx in nn.functional)

    /** {@code log(sigmoid(x))} without overflow. */
    public Tensor logsigmoid() { return UnaryOps.logsigmoid(this); }

    /** {@code log(1 + exp(x))}; linear above 20, like {@code F.softplus(x)}. */
    public Tensor softplus() { return UnaryOps.softplus(this, 1.0, 20.0); }

    public Tensor softplus(double beta, double threshold) { return UnaryOps.softplus(this, beta, threshold); }

    /** {@code x * sigmoid(x)} (swish). */
    public Tensor silu() { return UnaryOps.silu(this); }

    public Tensor mish() { return UnaryOps.mish(this); }

    /** Exact gelu, {@code x * Phi(x)}. */
    public Tensor gelu() { return UnaryOps.gelu(this, "none"); }

    /** gelu with {@code approximate} "none" or "tanh". */
    public Tensor gelu(String approximate) { return UnaryOps.gelu(this, approximate); }

    /** {@code min(max(x, 0), 6)}. */
    public Tensor relu6() { return UnaryOps.hardtanh(this, 0.0, 6.0); }

    public Tensor hardtanh() { return UnaryOps.hardtanh(this, -1.0, 1.0); }

    public Tensor hardtanh(double min, double max) { return UnaryOps.hardtanh(this, min, max); }

    /** {@code x > 0 ? x : slope * x} (default slope 0.01). */
    public Tensor leakyRelu() { return UnaryOps.leakyRelu(this, 0.01); }

    public Tensor leakyRelu(double negativeSlope) { return UnaryOps.leakyRelu(this, negativeSlope); }

    public Tensor elu() { return elu(1.0); }

    public Tensor elu(double alpha) { return UnaryOps.eluFamily("EluBackward0", this, alpha, 1.0, 1.0); }

    public Tensor selu() { return UnaryOps.eluFamily("EluBackward0", this, UnaryOps.SELU_ALPHA, UnaryOps.SELU_SCALE, 1.0); }

    public Tensor celu() { return celu(1.0); }

    public Tensor celu(double alpha) { return UnaryOps.eluFamily("CeluBackward0", this, alpha, 1.0, 1.0 / alpha); }

    public Tensor hardsigmoid() { return UnaryOps.hardsigmoid(this); }

    public Tensor hardswish() { return UnaryOps.hardswish(this); }

    /** {@code x / (1 + |x|)}. */
    public Tensor softsign() { return this.div(this.abs().add(1L)); }

    // ------------------------------------------------------------------ more binary ops (BinaryOps)

    /** Division with {@code roundingMode} null (true division), "trunc" or "floor"; integers stay integers when rounding. */
    public Tensor div(Tensor other, String roundingMode) { return BinaryOps.div(this, other, roundingMode); }

    public Tensor div(double s, String roundingMode) { return BinaryOps.div(this, wrapScalar(s), roundingMode); }

    public Tensor div(long s, String roundingMode) { return BinaryOps.div(this, wrapScalar(s), roundingMode); }

    /** {@code floor(self / other)}, like {@code torch.floor_divide} and Python's {@code //}. */
    public Tensor floorDivide(Tensor other) { return BinaryOps.div(this, other, "floor"); }

    public Tensor floorDivide(long s) { return BinaryOps.div(this, wrapScalar(s), "floor"); }

    public Tensor atan2(Tensor other) { return BinaryOps.atan2(this, other); }

    /**
     * {@code log(exp(this) + exp(other))} without overflow, like {@code torch.logaddexp} (floating dtypes).
     *
     * <pre>{@code
     * Grad4j.tensor(new double[]{1000}).logaddexp(Grad4j.tensor(new double[]{1000}));   // [1000.6931]
     * }</pre>
     */
    public Tensor logaddexp(Tensor other) { return BinaryOps.logaddexp(this, other); }

    /** C-style remainder (sign of the dividend). */
    public Tensor fmod(Tensor other) { return BinaryOps.fmodRemainder(this, other, false); }

    public Tensor fmod(double s) { return BinaryOps.fmodRemainder(this, wrapScalar(s), false); }

    public Tensor fmod(long s) { return BinaryOps.fmodRemainder(this, wrapScalar(s), false); }

    /** Python's {@code %} (sign of the divisor). */
    public Tensor remainder(Tensor other) { return BinaryOps.fmodRemainder(this, other, true); }

    public Tensor remainder(double s) { return BinaryOps.fmodRemainder(this, wrapScalar(s), true); }

    public Tensor remainder(long s) { return BinaryOps.fmodRemainder(this, wrapScalar(s), true); }

    /** {@code self + weight * (end - self)}. */
    public Tensor lerp(Tensor end, double weight) { return BinaryOps.lerp(this, end, wrapScalar(weight)); }

    public Tensor lerp(Tensor end, Tensor weight) { return BinaryOps.lerp(this, end, weight); }

    /** Clamp with tensor bounds (either may be null), broadcasting. */
    public Tensor clamp(Tensor min, Tensor max) { return BinaryOps.clamp(this, min, max); }

    /** Alias of {@link #clamp(Double, Double)}. */
    public Tensor clip(Double min, Double max) { return clamp(min, max); }

    public Tensor logicalXor(Tensor o) { return BinaryOps.compare(BinaryOp.LOGICAL_XOR, this, o); }

    /** Clamps into [min, max]; either bound may be null (no bound). Gradient 1 inside and on the bounds. */
    public Tensor clamp(Double min, Double max) { return UnaryOps.clamp(this, min, max); }

    public Tensor clampMin(double min) { return UnaryOps.clamp(this, min, null); }

    public Tensor clampMax(double max) { return UnaryOps.clamp(this, null, max); }

    /** Element-wise maximum with broadcasting. */
    public Tensor maximum(Tensor other) { return BinaryOps.maxMin(this, other, true); }

    public Tensor minimum(Tensor other) { return BinaryOps.maxMin(this, other, false); }

    /** {@code torch.max(a, b)}: same as {@link #maximum}. */
    public Tensor max(Tensor other) { return BinaryOps.maxMin(this, other, true); }

    /** {@code torch.min(a, b)}: same as {@link #minimum}. */
    public Tensor min(Tensor other) { return BinaryOps.maxMin(this, other, false); }

    // ------------------------------------------------------------------ comparisons (bool results)

    public Tensor eq(Tensor o) { return BinaryOps.compare(BinaryOp.EQ, this, o); }

    public Tensor eq(double s) { return BinaryOps.compare(BinaryOp.EQ, this, wrapScalar(s)); }

    public Tensor ne(Tensor o) { return BinaryOps.compare(BinaryOp.NE, this, o); }

    public Tensor ne(double s) { return BinaryOps.compare(BinaryOp.NE, this, wrapScalar(s)); }

    public Tensor lt(Tensor o) { return BinaryOps.compare(BinaryOp.LT, this, o); }

    public Tensor lt(double s) { return BinaryOps.compare(BinaryOp.LT, this, wrapScalar(s)); }

    public Tensor le(Tensor o) { return BinaryOps.compare(BinaryOp.LE, this, o); }

    public Tensor le(double s) { return BinaryOps.compare(BinaryOp.LE, this, wrapScalar(s)); }

    public Tensor gt(Tensor o) { return BinaryOps.compare(BinaryOp.GT, this, o); }

    public Tensor gt(double s) { return BinaryOps.compare(BinaryOp.GT, this, wrapScalar(s)); }

    public Tensor ge(Tensor o) { return BinaryOps.compare(BinaryOp.GE, this, o); }

    public Tensor ge(double s) { return BinaryOps.compare(BinaryOp.GE, this, wrapScalar(s)); }

    public Tensor logicalAnd(Tensor o) { return BinaryOps.compare(BinaryOp.LOGICAL_AND, this, o); }

    public Tensor logicalOr(Tensor o) { return BinaryOps.compare(BinaryOp.LOGICAL_OR, this, o); }

    public Tensor logicalNot() { return BinaryOps.compare(BinaryOp.EQ, this, wrapScalar(0L)); }

    /** Whether all elements along {@code dim} are non-zero. */
    public Tensor all(int dim, boolean keepdim) { return ReduceOps.allAny(this, dim, keepdim, true); }

    public Tensor any(int dim, boolean keepdim) { return ReduceOps.allAny(this, dim, keepdim, false); }

    /** True if every element is non-zero (a 0-d bool tensor). */
    public Tensor all() { return ReduceOps.allAny(this, true); }

    public Tensor any() { return ReduceOps.allAny(this, false); }

    /** Same shape and equal elements, like {@code torch.equal}. */
    public boolean equal(Tensor o) {
        return Arrays.equals(shape, o.shape) && BinaryOps.compare(BinaryOp.EQ, this, o).all().itemBool();
    }

    /** {@code |self - other| <= atol + rtol * |other|} everywhere, like {@code torch.allclose}. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        Tensor a = this.detach().toDouble(), b = other.detach().toDouble();
        Tensor diff = a.sub(b).abs();
        Tensor tol = b.abs().mul(rtol).add(atol);
        Tensor ok = diff.le(tol).logicalOr(a.eq(b));
        return ok.all().itemBool();
    }

    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    /** {@code cond ? self : other} with broadcasting, like {@code torch.where(cond, self, other)}. */
    public Tensor where(Tensor cond, Tensor other) { return BinaryOps.where(cond, this, other); }

    /** Fills elements where {@code mask} is true with {@code value} (MaskedFillBackward0). */
    public Tensor maskedFill(Tensor mask, double value) { return BinaryOps.maskedFill(this, mask, wrapScalar(value)); }

    public Tensor maskedFill(Tensor mask, Tensor value) { return BinaryOps.maskedFill(this, mask, value); }

    // ------------------------------------------------------------------ index-based ops

    /** {@code out[i][j] = self[i][index[i][j]]} for dim 1 (GatherBackward0). */
    public Tensor gather(int dim, Tensor index) { return IndexOps.gather(this, dim, index); }

    /** A copy of self with {@code src} added at {@code index} along dim (out-of-place scatter_add). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return IndexOps.scatterAdd(this, dim, index, src); }

    /** Slices along dim picked by a 1-d int64 index. */
    public Tensor indexSelect(int dim, Tensor index) { return IndexOps.indexSelect(this, dim, index); }

    /** A copy of self with src's slices added at the indexed positions of dim. */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) { return IndexOps.indexAdd(this, dim, index, src); }

    /**
     * Python indexing {@code x[...]}: Integer, {@link Index#slice}, {@link Index#NONE}, {@link Index#ELLIPSIS},
     * int64/bool tensors, or a String in Python syntax.
     *
     * <pre>{@code
     * x.index("1:, ::2, None, 0");     // x[1:, ::2, None, 0] (a view)
     * x.index(rows, cols);             // x[rows, cols] with int64 tensors (a copy)
     * x.index(x.gt(0));                // x[x > 0]
     * }</pre>
     */
    public Tensor index(Object... items) { return IndexOps.index(this, items); }

    /** Out-of-place {@code index_put}: indices per leading dim (null for ':'), values broadcast. */
    public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) {
        return IndexOps.indexPut(this, indices, values, accumulate);
    }

    /** In-place {@code index_put_} ({@code x[idx] = v}, or {@code x[idx] += v} with accumulate), with gradients. */
    public Tensor indexPut_(Tensor[] indices, Tensor values, boolean accumulate) {
        return InPlace.copy(this, IndexOps.indexPut(this, indices, values, accumulate));
    }

    /**
     * In-place {@code scatter_}: writes {@code src} at {@code index} along dim, with gradients (also
     * on views, through the base's CopySlices node).
     *
     * <pre>{@code
     * zeros(3).scatter_(0, tensor(new long[]{2}), tensor(new float[]{5}));   // [0, 0, 5]
     * }</pre>
     */
    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return InPlace.copy(this, IndexOps.scatter(this, dim, index, src));
    }

    /** In-place {@code scatter_(dim, index, value)}. */
    public Tensor scatter_(int dim, Tensor index, double value) { return InPlace.copy(this, scatter(dim, index, value)); }

    /** In-place {@code scatter_add_}: adds {@code src} at {@code index} along dim. */
    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return InPlace.copy(this, IndexOps.scatterAdd(this, dim, index, src));
    }

    /** In-place {@code index_add_}: adds src's slices at the indexed positions of dim. */
    public Tensor indexAdd_(int dim, Tensor index, Tensor src) {
        return InPlace.copy(this, IndexOps.indexAdd(this, dim, index, src));
    }

    /**
     * {@code x[spec] = value} for basic indexing (ints, slices, None, ...): writes through a view,
     * with gradients as in PyTorch ({@code x.set("0, :", v)} routes x's gradient there to v).
     */
    public Tensor set(String spec, Tensor value) {
        IndexOps.index(this, new Object[]{spec}).copy_(value);
        return this;
    }

    public Tensor set(String spec, double value) {
        IndexOps.index(this, new Object[]{spec}).fill_(value);
        return this;
    }

    /** Indices of non-zero elements, shape [n, dim] (int64). */
    public Tensor nonzero() { return IndexOps.nonzero(this); }

    /** Elements at flat indices (the tensor seen as 1-d). */
    public Tensor take(Tensor index) { return IndexOps.take(this, index); }

    /** The elements where mask is true, as a 1-d tensor. */
    public Tensor maskedSelect(Tensor mask) { return IndexOps.maskedSelect(this, mask); }

    /** Out-of-place scatter: a copy with {@code src} written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return IndexOps.scatter(this, dim, index, src); }

    public Tensor scatter(int dim, Tensor index, double value) {
        return IndexOps.scatter(this, dim, index, Grad4j.scalarTensor(value, dtype, device()));
    }

    /**
     * Out-of-place {@code scatter_reduce(dim, index, src, reduce, include_self)} with reduce "sum",
     * "prod", "mean", "amax" or "amin", and PyTorch's gradients (for "prod", also at zeros).
     *
     * <pre>{@code
     * Tensor x = Grad4j.tensor(new double[]{1, 2, 3});
     * x.scatterReduce(0, Grad4j.tensor(new long[]{1, 1}), Grad4j.tensor(new double[]{4, 5}), "prod", true);  // [1, 40, 3]
     * }</pre>
     */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduceOps.scatterReduce(this, dim, index, src, reduce, includeSelf);
    }

    /**
     * Sorted distinct values, like {@code torch.unique(x)}: each NaN is its own value (NaN != NaN), -0 and 0 are one.
     *
     * <pre>{@code
     * Grad4j.tensor(new double[]{Double.NaN, 1, Double.NaN, 1}).unique();   // [1, nan, nan]
     * }</pre>
     */
    public Tensor unique() { return CountingOps.unique(this).values(); }

    /** How often each sorted distinct value occurs ({@code return_counts=True}). */
    public Tensor uniqueCounts() { return CountingOps.unique(this).counts(); }

    /** For each element, the index of its value in {@link #unique()} ({@code return_inverse=True}). */
    public Tensor uniqueInverse() { return CountingOps.unique(this).inverse(); }

    /**
     * {@code torch.unique_consecutive(x)}: each run of equal neighbours (flattened) kept once; NaNs never merge.
     *
     * <pre>{@code
     * Grad4j.tensor(new long[]{1, 1, 2, 1}).uniqueConsecutive();         // [1, 2, 1]
     * Grad4j.tensor(new long[]{1, 1, 2, 1}).uniqueConsecutiveCounts();   // [2, 1, 1]
     * }</pre>
     */
    public Tensor uniqueConsecutive() { return CountingOps.uniqueConsecutive(this).values(); }

    /** Length of each run of {@link #uniqueConsecutive()} ({@code return_counts=True}). */
    public Tensor uniqueConsecutiveCounts() { return CountingOps.uniqueConsecutive(this).counts(); }

    /** For each element, the index of its run in {@link #uniqueConsecutive()} ({@code return_inverse=True}). */
    public Tensor uniqueConsecutiveInverse() { return CountingOps.uniqueConsecutive(this).inverse(); }

    /** Counts of each non-negative integer value, like {@code torch.bincount(x, minlength=)}. */
    public Tensor bincount(int minlength) { return CountingOps.bincount(this, minlength); }

    /** One-hot encoding of an int64 tensor (numClasses -1: max + 1), like {@code F.one_hot}. */
    public Tensor oneHot(int numClasses) { return IndexOps.oneHot(this, numClasses); }

    // ------------------------------------------------------------------ in-place

    public Tensor add_(Tensor other) { return InPlace.binary(this, BinaryOp.ADD, other, 1); }

    public Tensor add_(Tensor other, double alpha) { return InPlace.binary(this, BinaryOp.ADD, other, alpha); }

    public Tensor add_(double s) { return InPlace.binary(this, BinaryOp.ADD, wrapScalar(s), 1); }

    public Tensor sub_(Tensor other) { return InPlace.binary(this, BinaryOp.SUB, other, 1); }

    public Tensor sub_(double s) { return InPlace.binary(this, BinaryOp.SUB, wrapScalar(s), 1); }

    public Tensor mul_(Tensor other) { return InPlace.binary(this, BinaryOp.MUL, other, 1); }

    public Tensor mul_(double s) { return InPlace.binary(this, BinaryOp.MUL, wrapScalar(s), 1); }

    public Tensor div_(Tensor other) { return InPlace.binary(this, BinaryOp.DIV, other, 1); }

    public Tensor div_(double s) { return InPlace.binary(this, BinaryOp.DIV, wrapScalar(s), 1); }

    /** Sets every element to zero, in place. */
    public Tensor zero_() { return InPlace.fill(this, 0.0); }

    public Tensor fill_(double value) { return InPlace.fill(this, value); }

    /** Copies {@code src} (broadcast, cast) into this tensor, in place. */
    public Tensor copy_(Tensor src) { return InPlace.copy(this, src); }

    public Tensor clamp_(Double min, Double max) { return InPlace.clamp(this, min, max); }

    public Tensor relu_() { return InPlace.apply(this, "relu_", Tensor::relu); }

    public Tensor sigmoid_() { return InPlace.apply(this, "sigmoid_", Tensor::sigmoid); }

    public Tensor tanh_() { return InPlace.apply(this, "tanh_", Tensor::tanh); }

    public Tensor exp_() { return InPlace.apply(this, "exp_", Tensor::exp); }

    public Tensor log_() { return InPlace.apply(this, "log_", Tensor::log); }

    public Tensor sqrt_() { return InPlace.apply(this, "sqrt_", Tensor::sqrt); }

    public Tensor abs_() { return InPlace.apply(this, "abs_", Tensor::abs); }

    public Tensor neg_() { return InPlace.apply(this, "neg_", Tensor::neg); }

    public Tensor sin_() { return InPlace.apply(this, "sin_", Tensor::sin); }

    public Tensor cos_() { return InPlace.apply(this, "cos_", Tensor::cos); }

    public Tensor reciprocal_() { return InPlace.apply(this, "reciprocal_", Tensor::reciprocal); }

    public Tensor square_() { return InPlace.apply(this, "square_", Tensor::square); }

    public Tensor pow_(double exponent) { return InPlace.apply(this, "pow_", x -> x.pow(exponent)); }

    public Tensor floor_() { return InPlace.apply(this, "floor_", Tensor::floor); }

    public Tensor ceil_() { return InPlace.apply(this, "ceil_", Tensor::ceil); }

    public Tensor round_() { return InPlace.apply(this, "round_", Tensor::round); }

    public Tensor trunc_() { return InPlace.apply(this, "trunc_", Tensor::trunc); }

    public Tensor leakyRelu_(double negativeSlope) { return InPlace.apply(this, "leaky_relu_", x -> x.leakyRelu(negativeSlope)); }

    public Tensor clip_(Double min, Double max) { return clamp_(min, max); }

    public Tensor maskedFill_(Tensor mask, double value) { return InPlace.maskedFill(this, mask, value); }

    /** Adds {@code g} into this tensor's values without autograd and without a version bump check (engine). */
    void addInPlaceUntracked(Tensor g) {
        MemOverlap.assertNoInternalOverlap(this, "accumulating into .grad");   // a .grad set to an expanded tensor
        Tensor src = g.dtype == dtype ? g : OpSupport.cast(g, dtype);
        backend().elementwise().binary(BinaryOp.ADD, strided(), OpSupport.view(src, shape), strided());
        version.version++;
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (SumBackward0). Integer and bool tensors sum to int64. */
    public Tensor sum() { return ReduceOps.sum(this, null, false); }

    /** Sum over {@code dims} (SumBackward1). */
    public Tensor sum(int... dims) { return ReduceOps.sum(this, dims, false); }

    public Tensor sum(int[] dims, boolean keepdim) { return ReduceOps.sum(this, dims, keepdim); }

    public Tensor sum(int dim, boolean keepdim) { return ReduceOps.sum(this, new int[]{dim}, keepdim); }

    /** Mean of all elements (MeanBackward0); needs a floating dtype, as in PyTorch. */
    public Tensor mean() { return ReduceOps.mean(this, null, false); }

    public Tensor mean(int... dims) { return ReduceOps.mean(this, dims, false); }

    public Tensor mean(int[] dims, boolean keepdim) { return ReduceOps.mean(this, dims, keepdim); }

    public Tensor mean(int dim, boolean keepdim) { return ReduceOps.mean(this, new int[]{dim}, keepdim); }

    /** Euclidean norm of all elements (NormBackward0); gradient 0 at the zero vector. */
    public Tensor norm() { return ReduceOps.norm(this, 2.0, null, false); }

    /** p-norm of all elements (p may be infinite). */
    public Tensor norm(double p) { return ReduceOps.norm(this, p, null, false); }

    public Tensor norm(double p, int[] dims, boolean keepdim) { return ReduceOps.norm(this, p, dims, keepdim); }

    /** Maximum of all elements; ties share the gradient evenly (as PyTorch's max()). */
    public Tensor max() { return ReduceOps.maxMinAll(this, true); }

    public Tensor min() { return ReduceOps.maxMinAll(this, false); }

    /** Maximum along {@code dim} with its index; the gradient goes to that index (MaxBackward0). */
    public ValuesIndices max(int dim, boolean keepdim) { return ReduceOps.maxMinDim(this, dim, keepdim, true); }

    public ValuesIndices max(int dim) { return ReduceOps.maxMinDim(this, dim, false, true); }

    public ValuesIndices min(int dim, boolean keepdim) { return ReduceOps.maxMinDim(this, dim, keepdim, false); }

    public ValuesIndices min(int dim) { return ReduceOps.maxMinDim(this, dim, false, false); }

    /** Maximum over dims (all if none); ties share the gradient evenly. */
    public Tensor amax(int... dims) { return ReduceOps.amaxAmin(this, dims, false, true); }

    public Tensor amax(int[] dims, boolean keepdim) { return ReduceOps.amaxAmin(this, dims, keepdim, true); }

    public Tensor amin(int... dims) { return ReduceOps.amaxAmin(this, dims, false, false); }

    public Tensor amin(int[] dims, boolean keepdim) { return ReduceOps.amaxAmin(this, dims, keepdim, false); }

    /** Product of all elements (integers give int64). */
    public Tensor prod() { return ReduceOps.prod(this, null, false); }

    public Tensor prod(int dim, boolean keepdim) { return ReduceOps.prod(this, dim, keepdim); }

    /** Unbiased variance of all elements (correction 1). */
    public Tensor var() { return ReduceOps.var(this, null, 1, false); }

    /** Variance over dims with {@code correction} (0 for the population variance, 1 for the sample variance). */
    public Tensor var(int[] dims, double correction, boolean keepdim) { return ReduceOps.var(this, dims, correction, keepdim); }

    public Tensor std() { return ReduceOps.std(this, null, 1, false); }

    public Tensor std(int[] dims, double correction, boolean keepdim) { return ReduceOps.std(this, dims, correction, keepdim); }

    /** {@code log(sum(exp(x)))} over dims, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) { return ReduceOps.logsumexp(this, dims, keepdim); }

    public Tensor logsumexp(int dim) { return ReduceOps.logsumexp(this, new int[]{dim}, false); }

    /** Softmax along {@code dim}, computed stably (SoftmaxBackward0). */
    public Tensor softmax(int dim) { return ReduceOps.softmax(this, dim); }

    /** {@code log(softmax(x))} via logsumexp (LogSoftmaxBackward0). */
    public Tensor logSoftmax(int dim) { return ReduceOps.logSoftmax(this, dim); }

    public Tensor cumsum(int dim) { return SortScanOps.cumsum(this, dim); }

    public Tensor cumprod(int dim) { return SortScanOps.cumprod(this, dim); }

    /** Stable ascending sort along {@code dim}: values and original indices. */
    public ValuesIndices sort(int dim, boolean descending) { return SortScanOps.sort(this, dim, descending); }

    public ValuesIndices sort() { return SortScanOps.sort(this, -1, false); }

    public Tensor argsort(int dim, boolean descending) { return SortScanOps.sort(this, dim, descending).indices(); }

    /** The k largest (or smallest) elements along dim, sorted. */
    public ValuesIndices topk(int k, int dim, boolean largest) { return SortScanOps.topk(this, k, dim, largest); }

    public ValuesIndices topk(int k) { return SortScanOps.topk(this, k, -1, true); }

    /**
     * The lower median of all elements; NaN when any element is NaN, as {@code torch.median}.
     *
     * <pre>{@code
     * Grad4j.tensor(new double[]{3, Double.NaN, 1}).median();      // nan
     * Grad4j.tensor(new double[]{3, Double.NaN, 1}).nanmedian();   // 1.0
     * }</pre>
     */
    public Tensor median() { return SortScanOps.medianAll(this); }

    /** median along dim with the index of each value; a slice holding NaN gives NaN at the index of its first NaN. */
    public ValuesIndices median(int dim, boolean keepdim) { return SortScanOps.median(this, dim, keepdim); }

    /** {@code torch.nanmedian()}: the lower median of the non-NaN elements (NaN when all are NaN). See {@link #median()}. */
    public Tensor nanmedian() { return SortScanOps.medianAll(this, true); }

    /** {@code torch.nanmedian(dim, keepdim)}: median ignoring NaN per slice; an all-NaN slice gives NaN at index 0. */
    public ValuesIndices nanmedian(int dim, boolean keepdim) { return SortScanOps.median(this, dim, keepdim, true); }

    /** The q-quantile (linear interpolation) of all elements. */
    public Tensor quantile(double q) { return SortScanOps.quantile(this, q, null, false); }

    public Tensor quantile(double q, int dim, boolean keepdim) { return SortScanOps.quantile(this, q, dim, keepdim); }

    /** Index of the maximum in the flattened tensor (int64). */
    public Tensor argmax() { return ReduceOps.argMaxMin(this, null, false, true); }

    public Tensor argmax(int dim, boolean keepdim) { return ReduceOps.argMaxMin(this, dim, keepdim, true); }

    public Tensor argmin() { return ReduceOps.argMaxMin(this, null, false, false); }

    public Tensor argmin(int dim, boolean keepdim) { return ReduceOps.argMaxMin(this, dim, keepdim, false); }

    /** Sums a broadcast gradient back to {@code target} (the inverse of expand). */
    public Tensor sumTo(int[] target) { return ReduceOps.sumTo(this, target); }

    /** True if a tensor of shape {@code from} can be expanded (broadcast) to {@code to}. */
    public static boolean isExpandableTo(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product with PyTorch's rules for 1-d, 2-d and batched (broadcast) operands. */
    public Tensor matmul(Tensor other) { return LinalgOps.matmul(this, other); }

    /** 2-d matrix product (MmBackward0). */
    public Tensor mm(Tensor other) { return LinalgOps.mm(this, other); }

    /** Batched matrix product of [b, n, k] and [b, k, m]. */
    public Tensor bmm(Tensor other) { return LinalgOps.bmm(this, other); }

    /** Matrix-vector product. */
    public Tensor mv(Tensor vec) { return LinalgOps.mv(this, vec); }

    /** Dot product of two 1-d tensors. */
    public Tensor dot(Tensor other) { return LinalgOps.dot(this, other); }

    /** Outer product of two 1-d tensors. */
    public Tensor outer(Tensor other) { return LinalgOps.outer(this, other); }

    /** {@code beta * self + alpha * (m1 @ m2)}, like {@code torch.addmm(self, m1, m2, beta=, alpha=)}. */
    public Tensor addmm(Tensor m1, Tensor m2, double beta, double alpha) { return LinalgOps.addmm(this, m1, m2, beta, alpha); }

    public Tensor addmm(Tensor m1, Tensor m2) { return LinalgOps.addmm(this, m1, m2, 1, 1); }

    /** {@code beta * self + alpha * bmm(b1, b2)}. */
    public Tensor baddbmm(Tensor b1, Tensor b2, double beta, double alpha) { return LinalgOps.baddbmm(this, b1, b2, beta, alpha); }

    /** Matrix inverse, like {@code torch.inverse} / {@code Tensor.inverse}. */
    public Tensor inverse() { return Linalg.inv(this); }

    /** Determinant, like {@code torch.det}. */
    public Tensor det() { return Linalg.det(this); }

    // ------------------------------------------------------------------ views and shape

    /** Transpose of a tensor with at most 2 dims (TBackward0). */
    public Tensor t() { return ShapeOps.t(this); }

    public Tensor transpose(int dim0, int dim1) { return ShapeOps.transpose(this, dim0, dim1); }

    public Tensor permute(int... dims) { return ShapeOps.permute(this, dims); }

    /** A view with a new shape (one dim may be -1); fails on incompatible strides, like PyTorch. */
    public Tensor view(int... newShape) { return ShapeOps.view(this, newShape); }

    /** Like view(), but copies when the strides do not allow a view. */
    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }

    public Tensor flatten() { return ShapeOps.reshape(this, -1); }

    /** Flattens dims {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) { return ShapeOps.flatten(this, startDim, endDim); }

    /** Splits dim into {@code sizes} (one may be -1). */
    public Tensor unflatten(int dim, int... sizes) { return ShapeOps.unflatten(this, dim, sizes); }

    /** Moves dim {@code source} to position {@code destination}. */
    public Tensor movedim(int source, int destination) { return ShapeOps.movedim(this, source, destination); }

    /** Transpose of the last two dims ({@code x.mT}). */
    public Tensor mT() {
        if (dim() < 2) throw new IllegalArgumentException("tensor.mT is only supported on matrices or batches of matrices. Got " + dim() + "-D tensor.");
        return transpose(-2, -1);
    }

    /** Reverses the order along dims (a copy, as in PyTorch). */
    public Tensor flip(int... dims) { return ShapeOps.flip(this, dims); }

    /** Rolls elements along dims (no dims: over the flattened tensor). */
    public Tensor roll(int[] shifts, int[] dims) { return ShapeOps.roll(this, shifts, dims); }

    public Tensor roll(int shift, int dim) { return ShapeOps.roll(this, new int[]{shift}, new int[]{dim}); }

    /** Lower triangle of the last two dims (elements with {@code j - i <= diagonal}). */
    public Tensor tril(int diagonal) { return ShapeOps.triangle(this, diagonal, true); }

    public Tensor tril() { return tril(0); }

    public Tensor triu(int diagonal) { return ShapeOps.triangle(this, diagonal, false); }

    public Tensor triu() { return triu(0); }

    /** A view of a diagonal of dims {@code dim1, dim2}, appended as the last dim. */
    public Tensor diagonal(int offset, int dim1, int dim2) { return ShapeOps.diagonal(this, offset, dim1, dim2); }

    public Tensor diagonal() { return ShapeOps.diagonal(this, 0, 0, 1); }

    /** The last dim becomes the diagonal of two new trailing dims. */
    public Tensor diagEmbed() { return ShapeOps.diagEmbed(this, 0, -2, -1); }

    public Tensor diagEmbed(int offset, int dim1, int dim2) { return ShapeOps.diagEmbed(this, offset, dim1, dim2); }

    /** 1-d: a diagonal matrix; 2-d: the diagonal. */
    public Tensor diag(int diagonal) { return ShapeOps.diag(this, diagonal); }

    public Tensor diag() { return ShapeOps.diag(this, 0); }

    /** Repeats the whole tensor along each dim ({@code x.repeat(2, 1)}). */
    public Tensor repeat(int... repeats) { return ShapeOps.repeat(this, repeats); }

    /** Like repeat, but fewer reps than dims repeat the trailing dims. */
    public Tensor tile(int... reps) { return ShapeOps.tile(this, reps); }

    /** Views of {@code splitSize} along dim (the last may be smaller). */
    public java.util.List<Tensor> split(int splitSize, int dim) { return ShapeOps.split(this, splitSize, dim); }

    public java.util.List<Tensor> split(int[] sizes, int dim) { return ShapeOps.splitSizes(this, sizes, dim); }

    public java.util.List<Tensor> chunk(int chunks, int dim) { return ShapeOps.chunk(this, chunks, dim); }

    /** Selects every index along dim. */
    public java.util.List<Tensor> unbind(int dim) { return ShapeOps.unbind(this, dim); }

    /** Broadcasts to a larger shape without copying; -1 keeps a size. */
    public Tensor expand(int... sizes) { return ShapeOps.expand(this, sizes); }

    public Tensor expandAs(Tensor other) { return ShapeOps.expand(this, other.shape); }

    public Tensor unsqueeze(int dim) { return ShapeOps.unsqueeze(this, dim); }

    /** Removes all size-1 dims. */
    public Tensor squeeze() { return ShapeOps.squeeze(this, null); }

    public Tensor squeeze(int dim) { return ShapeOps.squeeze(this, dim); }

    /** Picks index {@code index} along {@code dim}, removing that dim (SelectBackward0). */
    public Tensor select(int dim, int index) { return ShapeOps.select(this, dim, index); }

    /** Python's {@code t[start:end:step]} along dim; negative and out-of-range bounds clip as in Python. */
    public Tensor slice(int dim, int start, int end, int step) { return ShapeOps.slice(this, dim, start, end, step); }

    public Tensor slice(int dim, int start, int end) { return ShapeOps.slice(this, dim, start, end, 1); }

    /**
     * Every window of {@code size} elements along {@code dim}, {@code step} apart, as a new last
     * dimension: a view, like {@code x.unfold(dim, size, step)} (UnfoldBackward0).
     *
     * <pre>{@code
     * arange(5).unfold(0, 2, 1);   // [[0, 1], [1, 2], [2, 3], [3, 4]]
     * }</pre>
     */
    public Tensor unfold(int dim, int size, int step) { return ShapeOps.unfold(this, dim, size, step); }

    /**
     * A view of this tensor's storage with any sizes, strides and storage offset, like
     * {@code x.as_strided(size, stride, storage_offset)} (AsStridedBackward0). Positions are in the
     * storage, so views of views see the whole storage; prefer the named view ops.
     *
     * <pre>{@code
     * arange(4).asStrided(new int[]{2, 2}, new int[]{1, 1}, 0);   // [[0, 1], [1, 2]]
     * }</pre>
     */
    public Tensor asStrided(int[] size, int[] stride, int storageOffset) { return ShapeOps.asStrided(this, size, stride, storageOffset); }

    /** {@code x.as_strided(size, stride)} at this tensor's storage offset. */
    public Tensor asStrided(int[] size, int[] stride) { return ShapeOps.asStrided(this, size, stride, offset); }

    /** {@code t.narrow(dim, start, length)}. */
    public Tensor narrow(int dim, int start, int length) { return ShapeOps.narrow(this, dim, start, length); }

    /** Integer indexing on the leading dims: {@code x.get(1)} is {@code x[1]}, {@code x.get(1, 2)} is {@code x[1, 2]}. */
    public Tensor get(int... indices) {
        Tensor t = this;
        for (int i : indices) t = t.select(0, i);
        return t;
    }
}
