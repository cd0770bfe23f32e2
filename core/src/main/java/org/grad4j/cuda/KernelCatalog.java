package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * Every kernel of {@code grad4j_kernels.cu} as a typed Java method: given device pointers, geometry
 * and scalars it returns the {@link KernelLaunch} (entry name, grid, block, arguments in the
 * signature's order). It never touches the driver, so all of it is tested on machines without a GPU
 * (KernelCatalogTest checks every launch against the compiled PTX's {@code .entry} signatures).
 *
 * <p>Kernels that can meet a bad value on the device (an index out of range, an integer division by
 * zero, a float-only op on integers) take an {@code err} pointer to one int64 that the caller sets to
 * {@link #NO_ERROR} before the launch; afterwards it holds the smallest offending element position,
 * or still {@code NO_ERROR}.
 *
 * <pre>{@code
 * KernelLaunch l = KernelCatalog.binary(BinaryOp.ADD, out, a, b, 0);
 * }</pre>
 */
final class KernelCatalog {
    private KernelCatalog() {}

    /** Threads per block of every kernel (G4_BLOCK: the reductions' shared arrays are this long). */
    static final int BLOCK = 256;
    /** The most blocks a launch asks for; kernels loop grid-stride over the rest. */
    static final int MAX_GRID = 1 << 20;
    /** What an {@code err} slot holds when nothing went wrong (LLONG_MAX). */
    static final long NO_ERROR = Long.MAX_VALUE;

    /** The class-path resource holding every kernel: SASS per architecture and PTX (tools/cuda/build-kernels.sh). */
    static final String FATBIN = "/org/grad4j/cuda/grad4j_kernels.fatbin";

    /**
     * The fatbin's bytes, for {@code cuModuleLoadData}/{@code cuLibraryLoadData} (which need them to
     * stay valid only during the call). Read on demand, never at class loading.
     */
    static byte[] fatbin() {
        try (java.io.InputStream in = KernelCatalog.class.getResourceAsStream(FATBIN)) {
            if (in == null) throw new IllegalStateException("cuda: " + FATBIN + " is missing from the class path."
                    + " Fix: use a grad4j-core jar built with its resources, or run tools/cuda/build-kernels.sh");
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cuda: cannot read " + FATBIN, e);
        }
    }

    /** Blocks for n independent elements: ceil(n / BLOCK), at most MAX_GRID, 0 for n == 0. */
    static int grid(long n) {
        if (n < 0) throw new IllegalArgumentException("cuda grid: negative element count " + n);
        return (int) Math.min(n / BLOCK + (n % BLOCK == 0 ? 0 : 1), MAX_GRID);   // no n + BLOCK - 1: overflows near 2^63
    }

    /** Blocks when each of {@code units} work items (rows, channels, output tiles) takes a block. */
    static int gridPerBlock(long units) {
        if (units < 0) throw new IllegalArgumentException("cuda grid: negative work count " + units);
        return (int) Math.min(units, MAX_GRID);
    }

    /** The kernel-name suffix of a dtype: f32, f64, i64, i32, i16, i8, u8, bool. */
    static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case INT32 -> "i32";
            case INT16 -> "i16";
            case INT8 -> "i8";
            case UINT8 -> "u8";
            case BOOL -> "bool";
        };
    }

    // ---------------------------------------------------------------- elementwise

    /** dst = src cast to dst's dtype, both of dst's shape (src may broadcast: stride 0). */
    static KernelLaunch copy(DeviceView dst, DeviceView src) {
        sameShape("copy", dst, src);
        long[][] c = coalesce("copy", dst, dst, src);
        KernelArgs a = new KernelArgs().ptr(dst.base()).ptr(src.base())
                .struct(TensorDesc.encode(dst.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(src.offset(), c[0], c[2]), TensorDesc.ALIGN).i64(dst.numel());
        return launch("g4_copy_" + suffix(src.dtype()) + "_" + suffix(dst.dtype()), dst.numel(), a);
    }

    /** Every element of dst = value, converted as the CPU's setDouble. */
    static KernelLaunch fill(DeviceView dst, double value) {
        long[][] c = coalesce("fill", dst, dst);
        KernelArgs a = new KernelArgs().ptr(dst.base()).struct(TensorDesc.encode(dst.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .i64(dst.numel()).f64(value);
        return launch("g4_fill_" + suffix(dst.dtype()), dst.numel(), a);
    }

    /** An int64 fill with a value double cannot hold exactly (above 2^53). */
    static KernelLaunch fillLong(DeviceView dst, long value) {
        need("fill", dst, DType.INT64);
        long[][] c = coalesce("fill", dst, dst);
        KernelArgs a = new KernelArgs().ptr(dst.base()).struct(TensorDesc.encode(dst.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .i64(dst.numel()).i64(value);
        return launch("g4_fill_i64_exact", dst.numel(), a);
    }

    /** out = op(in), same dtype; integer dtypes accept neg/abs/sign/relu/square/rounding and flag the rest in err. */
    static KernelLaunch unary(UnaryOp op, DeviceView out, DeviceView in, long err) {
        sameShape("unary " + op, out, in);
        sameDtype("unary " + op, out, in);
        if (out.dtype() == DType.BOOL) throw noKernel("unary " + op, out.dtype(), "convert with .to(DType.INT64) first");
        long[][] c = coalesce("unary " + op, out, out, in);
        KernelArgs a = new KernelArgs().ptr(out.base()).ptr(in.base())
                .struct(TensorDesc.encode(out.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(in.offset(), c[0], c[2]), TensorDesc.ALIGN).i64(out.numel()).i32(op.ordinal());
        if (!out.dtype().isFloatingPoint()) a.ptr(err);
        return launch("g4_unary_" + suffix(out.dtype()), out.numel(), a);
    }

    /**
     * out = op(a, b) with a, b broadcast to out's shape (stride 0 on broadcast dims). Comparisons and
     * logical ops write a BOOL out from same-dtype operands; integer and bool arithmetic take err.
     */
    static KernelLaunch binary(BinaryOp op, DeviceView out, DeviceView x, DeviceView y, long err) {
        String what = "binary " + op;
        sameShape(what, out, x);
        sameShape(what, out, y);
        sameDtype(what, x, y);
        if (op.isComparison()) need(what, out, DType.BOOL);
        else sameDtype(what, out, x);
        long[][] c = coalesce(what, out, out, x, y);
        KernelArgs a = new KernelArgs().ptr(out.base()).ptr(x.base()).ptr(y.base())
                .struct(TensorDesc.encode(out.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(x.offset(), c[0], c[2]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(y.offset(), c[0], c[3]), TensorDesc.ALIGN).i64(out.numel()).i32(op.ordinal());
        if (op.isComparison()) return launch("g4_compare_" + suffix(x.dtype()), out.numel(), a);
        if (!x.dtype().isFloatingPoint()) a.ptr(err);
        return launch("g4_binary_" + suffix(x.dtype()), out.numel(), a);
    }

    /** out = cond ? x : y; out contiguous of the common shape, cond BOOL, x, y of out's dtype. */
    static KernelLaunch where(DeviceView out, DeviceView cond, DeviceView x, DeviceView y) {
        sameShape("where", out, cond);
        sameShape("where", out, x);
        sameShape("where", out, y);
        need("where", cond, DType.BOOL);
        sameDtype("where", out, x);
        sameDtype("where", out, y);
        if (!out.isContiguous()) throw new IllegalArgumentException("cuda where: out must be contiguous, got strides "
                + Arrays.toString(out.strides()) + ". Fix: allocate out contiguous, as the CPU kernel expects");
        // out is contiguous, so coalescing jointly with its strides keeps the kernel's linear out[i] order
        long[][] j = coalesce("where", out, out, cond, x, y);
        long[][] c = {j[0], j[2], j[3], j[4]};
        KernelArgs a = new KernelArgs().ptr(out.address()).ptr(cond.base()).ptr(x.base()).ptr(y.base())
                .struct(TensorDesc.encode(cond.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(x.offset(), c[0], c[2]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(y.offset(), c[0], c[3]), TensorDesc.ALIGN).i64(out.numel());
        return launch("g4_where_" + suffix(out.dtype()), out.numel(), a);
    }

    /** out = clamp(in, lo, hi); a NaN bound means none, NaN inputs stay NaN (ElementwiseKernels.clamp). */
    static KernelLaunch clamp(DeviceView out, DeviceView in, double lo, double hi) {
        sameShape("clamp", out, in);
        sameDtype("clamp", out, in);
        if (out.dtype() == DType.BOOL) throw noKernel("clamp", DType.BOOL, "convert with .to(DType.INT64) first");
        long[][] c = coalesce("clamp", out, out, in);
        KernelArgs a = new KernelArgs().ptr(out.base()).ptr(in.base())
                .struct(TensorDesc.encode(out.offset(), c[0], c[1]), TensorDesc.ALIGN)
                .struct(TensorDesc.encode(in.offset(), c[0], c[2]), TensorDesc.ALIGN).i64(out.numel()).f64(lo).f64(hi);
        return launch("g4_clamp_" + suffix(out.dtype()), out.numel(), a);
    }

    /** y[i] = fma(alpha, x[i], y[i]) for n contiguous elements at the given addresses. */
    static KernelLaunch axpy(DType t, long y, long x, long n, double alpha) {
        KernelArgs a = new KernelArgs().ptr(y).ptr(x).i64(n);
        if (floating("axpy", t) == DType.FLOAT32) a.f32((float) alpha); else a.f64(alpha);
        return launch("g4_axpy_" + suffix(t), n, a);
    }

    /** out[i] = (T) (out[i] * s) for n contiguous elements: mean's division (ReduceKernels.scale). */
    static KernelLaunch scale(DType t, long out, long n, double s) {
        floating("scale", t);
        return launch("g4_scale_" + suffix(t), n, new KernelArgs().ptr(out).i64(n).f64(s));
    }

    // ---------------------------------------------------------------- reductions

    /**
     * How a reduction splits: keepN outputs, redN elements each, cut into {@code chunks} chunks of
     * {@code chunk} elements; the partial pass needs {@link #scratchBytes()} of device scratch.
     */
    record ReducePlan(long keepN, long redN, long chunk, long chunks) {
        /** partial values (8 bytes each) then the has-a-value flags (1 byte each), 8-aligned. */
        long scratchBytes() { return keepN * chunks * 8 + ((keepN * chunks + 7) & ~7L); }

        long flagsOffset() { return keepN * chunks * 8; }
    }

    /** Blocks the partial pass aims for when there are few outputs (enough to fill a large GPU). */
    static final long TARGET_BLOCKS = 1024;
    /** The smallest chunk worth a block of its own. */
    static final long MIN_CHUNK = 4096;

    /** Splits deterministically from the shapes alone, so the summation order is a function of them. */
    static ReducePlan plan(long keepN, long redN) {
        long chunks = 1;
        if (keepN < TARGET_BLOCKS && redN > MIN_CHUNK) {
            chunks = Math.min((TARGET_BLOCKS + keepN - 1) / Math.max(keepN, 1), (redN + MIN_CHUNK - 1) / MIN_CHUNK);
        }
        long chunk = Math.max(1, (redN + chunks - 1) / chunks);
        chunks = redN == 0 ? 1 : (redN + chunk - 1) / chunk;
        return new ReducePlan(keepN, redN, chunk, chunks);
    }

    /**
     * The two launches of {@code kind} over the dims flagged in {@code mask}: partial then finish.
     * out is contiguous over the kept dims: in's dtype for SUM/PROD/MAX/MIN of floats (times
     * {@code scale}: 1/count for mean), INT64 for integer SUM/PROD, in's dtype for integer MAX/MIN,
     * BOOL for ALL/ANY, INT64 for ARGMAX/ARGMIN. {@code scratch} holds plan(...).scratchBytes().
     */
    static List<KernelLaunch> reduce(ReduceKernels.Kind kind, DeviceView in, boolean[] mask, long out, long scratch,
                                     double scale) {
        if (mask.length != in.shape().length) throw new IllegalArgumentException("cuda reduce " + kind + ": mask of "
                + mask.length + " dims for a tensor of shape " + Arrays.toString(in.shape()) + ". Fix: one flag per dim");
        boolean logical = kind == ReduceKernels.Kind.ALL || kind == ReduceKernels.Kind.ANY;
        if ((in.dtype() == DType.BOOL) != logical) throw noKernel("reduce " + kind, in.dtype(), logical
                ? "all/any reduce a bool tensor: compare with 0 first (x.ne(0))" : "convert with .to(DType.INT64) first");
        int keepR = 0;
        for (boolean m : mask) if (!m) keepR++;
        long[] ks = new long[keepR], kst = new long[keepR], rs = new long[mask.length - keepR], rst = new long[rs.length];
        for (int d = 0, i = 0, j = 0; d < mask.length; d++) {
            if (mask[d]) { rs[j] = in.shape()[d]; rst[j++] = in.strides()[d]; }
            else { ks[i] = in.shape()[d]; kst[i++] = in.strides()[d]; }
        }
        long[][] kc = limit("reduce " + kind, TensorDesc.coalesce(ks, kst));
        long[][] rc = limit("reduce " + kind, TensorDesc.coalesce(rs, rst));
        ReducePlan p = plan(product(ks), product(rs));
        String t = suffix(in.dtype());
        byte[] keep = TensorDesc.encode(in.offset(), kc[0], kc[1]), red = TensorDesc.encode(0, rc[0], rc[1]);
        long flags = scratch + p.flagsOffset();
        int blocks = gridPerBlock(p.keepN() * p.chunks());
        if (kind == ReduceKernels.Kind.ARGMAX || kind == ReduceKernels.Kind.ARGMIN) {
            // pidx (int64) lives where the flags would: the arg pass needs 8 bytes per partial for each
            long pidx = scratch + p.keepN() * p.chunks() * 8;
            KernelArgs pa = new KernelArgs().ptr(scratch).ptr(pidx).ptr(in.base()).struct(keep, TensorDesc.ALIGN)
                    .struct(red, TensorDesc.ALIGN).i64(p.keepN()).i64(p.redN()).i64(p.chunk()).i32(kind.ordinal());
            KernelArgs fa = new KernelArgs().ptr(out).ptr(scratch).ptr(pidx).i64(p.keepN()).i64(p.chunks()).i32(kind.ordinal());
            return List.of(new KernelLaunch("g4_arg_partial_" + t, blocks, BLOCK, 0, pa),
                    launch("g4_arg_finish", p.keepN(), fa));
        }
        KernelArgs pa = new KernelArgs().ptr(scratch).ptr(flags).ptr(in.base()).struct(keep, TensorDesc.ALIGN)
                .struct(red, TensorDesc.ALIGN).i64(p.keepN()).i64(p.redN()).i64(p.chunk()).i32(kind.ordinal());
        KernelLaunch partial = new KernelLaunch("g4_reduce_partial_" + t, blocks, BLOCK, 0, pa);
        KernelArgs fa = new KernelArgs().ptr(out).ptr(scratch).ptr(flags).i64(p.keepN()).i64(p.chunks()).i32(kind.ordinal());
        if (in.dtype().isFloatingPoint()) return List.of(partial, launch("g4_reduce_finish_" + t, p.keepN(), fa.f64(scale)));
        if (scale != 1.0) throw new IllegalArgumentException("cuda reduce " + kind + ": scale " + scale
                + " needs a floating tensor, got " + in.dtype() + ". Fix: mean of integers is an error in PyTorch; cast first");
        int outBytes = switch (kind) {
            case SUM, PROD -> 8;
            case ALL, ANY -> 1;
            default -> in.dtype().itemSize();
        };
        return List.of(partial, launch("g4_reduce_finish_int", p.keepN(), fa.i32(outBytes)));
    }

    /** Scratch bytes {@link #reduce} needs (argmax/argmin need 16 per partial, the rest 9). */
    static long reduceScratchBytes(ReduceKernels.Kind kind, DeviceView in, boolean[] mask) {
        long keepN = 1, redN = 1;
        for (int d = 0; d < mask.length; d++) if (mask[d]) redN *= in.shape()[d]; else keepN *= in.shape()[d];
        ReducePlan p = plan(keepN, redN);
        boolean arg = kind == ReduceKernels.Kind.ARGMAX || kind == ReduceKernels.Kind.ARGMIN;
        return arg ? p.keepN() * p.chunks() * 16 : p.scratchBytes();
    }

    // ---------------------------------------------------------------- nn

    /** softmax (or log_softmax) over the last dim of contiguous [rows, cols] tensors; one block per row. */
    static KernelLaunch softmax(DType t, long out, long in, long rows, long cols, boolean log) {
        floating(log ? "log_softmax" : "softmax", t);
        KernelArgs a = new KernelArgs().ptr(out).ptr(in).i64(rows).i64(cols);
        return new KernelLaunch((log ? "g4_log_softmax_" : "g4_softmax_") + suffix(t), rows == 0 || cols == 0 ? 0 : gridPerBlock(rows), BLOCK, 0, a);
    }

    /** C = alpha op(A) op(B) + beta C, row-major, {@code batch} matrices apart by the strides. */
    static KernelLaunch gemm(DType t, long c, long a, long b, int m, int n, int k, long lda, long ldb, long ldc,
                             long strideA, long strideB, long strideC, int batch, boolean transA, boolean transB,
                             double alpha, double beta) {
        floating("gemm", t);
        if (m < 0 || n < 0 || k < 0 || batch < 0) throw new IllegalArgumentException("cuda gemm: negative size m=" + m
                + " n=" + n + " k=" + k + " batch=" + batch + ". Fix: pass the matrices' sizes");
        KernelArgs args = new KernelArgs().ptr(c).ptr(a).ptr(b).i32(m).i32(n).i32(k).i64(lda).i64(ldb).i64(ldc)
                .i64(strideA).i64(strideB).i64(strideC).i32(batch).i32(transA ? 1 : 0).i32(transB ? 1 : 0);
        if (t == DType.FLOAT32) args.f32((float) alpha).f32((float) beta); else args.f64(alpha).f64(beta);
        long tiles = (long) batch * ((m + 15) / 16) * ((n + 15) / 16);
        return new KernelLaunch("g4_gemm_" + suffix(t), gridPerBlock(tiles), BLOCK, 0, args);
    }

    /** col [batch, C*kh*kw, outH*outW] from contiguous images [batch, C, H, W]. */
    static KernelLaunch im2col(DType t, long col, long im, Window2d w, long batch) {
        return window("g4_im2col_", t, col, im, w, batch, batch * w.channels() * w.kh() * w.kw() * (long) w.outH() * w.outW());
    }

    /** images [batch, C, H, W] = the sum of the columns covering each pixel (conv's input gradient). */
    static KernelLaunch col2im(DType t, long im, long col, Window2d w, long batch) {
        return window("g4_col2im_", t, im, col, w, batch, batch * w.channels() * (long) w.height() * w.width());
    }

    /** max pool over {@code planes} contiguous H x W planes: out and int64 indices [planes, outH, outW]. */
    static KernelLaunch maxPool2d(DType t, long out, long indices, long in, Window2d w, long planes) {
        floating("max_pool2d", t);
        KernelArgs a = new KernelArgs().ptr(out).ptr(indices).ptr(in).struct(w.encode(), Window2d.ALIGN).i64(planes);
        return launch("g4_maxpool2d_fwd_" + suffix(t), planes * w.outH() * w.outW(), a);
    }

    /** The input gradient of max pool from its output gradient and indices (gathered: deterministic). */
    static KernelLaunch maxPool2dBackward(DType t, long gradIn, long gradOut, long indices, Window2d w, long planes) {
        floating("max_pool2d_backward", t);
        KernelArgs a = new KernelArgs().ptr(gradIn).ptr(gradOut).ptr(indices).struct(w.encode(), Window2d.ALIGN).i64(planes);
        return launch("g4_maxpool2d_bwd_" + suffix(t), planes * w.height() * w.width(), a);
    }

    /** avg pool (dilation 1) with PyTorch's divisor rules (countIncludePad, divisorOverride). */
    static KernelLaunch avgPool2d(DType t, long out, long in, Window2d w, long planes) {
        dilationOne("avg_pool2d", w);
        return window("g4_avgpool2d_fwd_", t, out, in, w, planes, planes * w.outH() * w.outW());
    }

    /** The input gradient of avg pool (gathered: deterministic). */
    static KernelLaunch avgPool2dBackward(DType t, long gradIn, long gradOut, Window2d w, long planes) {
        dilationOne("avg_pool2d_backward", w);
        return window("g4_avgpool2d_bwd_", t, gradIn, gradOut, w, planes, planes * w.height() * w.width());
    }

    /** gradIn = x <= threshold ? value : grad over n contiguous elements (relu: threshold 0, value 0, x the result). */
    static KernelLaunch thresholdBackward(DType t, long gradIn, long grad, long x, long n, double threshold, double value) {
        floating("threshold_backward", t);
        KernelArgs a = new KernelArgs().ptr(gradIn).ptr(grad).ptr(x).i64(n).f64(threshold).f64(value);
        return launch("g4_threshold_bwd_" + suffix(t), n, a);
    }

    /** Per-channel mean and biased variance of a contiguous [n, c, s] input; one block per channel. */
    static KernelLaunch batchNormStats(DType t, long mean, long var, long x, long n, long c, long s) {
        floating("batch_norm", t);
        KernelArgs a = new KernelArgs().ptr(mean).ptr(var).ptr(x).i64(n).i64(c).i64(s);
        return new KernelLaunch("g4_bn_stats_" + suffix(t), n * s == 0 ? 0 : gridPerBlock(c), BLOCK, 0, a);
    }

    // ---------------------------------------------------------------- indexing

    /** out[o, i, r] = in[o, idx[i], r] (contiguous; int64 idx); embedding's forward has outer 1. */
    static KernelLaunch indexSelect(DType t, long out, long in, long idx, long outer, long size, long idxN, long inner, long err) {
        oneOf("index_select", t, DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32);
        KernelArgs a = new KernelArgs().ptr(out).ptr(in).ptr(idx).i64(outer).i64(size).i64(idxN).i64(inner).ptr(err);
        return launch("g4_index_select_" + suffix(t), outer * idxN * inner, a);
    }

    /** out[o, idx[i], r] += src[o, i, r] with atomics (embedding's backward): nondeterministic float order. */
    static KernelLaunch indexAdd(DType t, long out, long src, long idx, long outer, long size, long idxN, long inner, long err) {
        oneOf("index_add", t, DType.FLOAT32, DType.FLOAT64, DType.INT64);
        KernelArgs a = new KernelArgs().ptr(out).ptr(src).ptr(idx).i64(outer).i64(size).i64(idxN).i64(inner).ptr(err);
        return launch("g4_index_add_" + suffix(t), outer * idxN * inner, a);
    }

    /** out = in.gather(dim, index); out and index share index's shape (not coalesced: dim must survive). */
    static KernelLaunch gather(DeviceView out, DeviceView in, DeviceView index, int dim, long err) {
        return alongDim("gather", "g4_gather_", out, in, index, dim, err, in, out);
    }

    /** self.scatter_add_(dim, index, src) with atomics: nondeterministic float order, as PyTorch on CUDA. */
    static KernelLaunch scatterAdd(DeviceView self, DeviceView index, DeviceView src, int dim, long err) {
        return alongDim("scatter_add", "g4_scatter_add_", self, src, index, dim, err, self, src);
    }

    // ---------------------------------------------------------------- random

    /** Uniform [lo, hi) from Philox4x32-10 (seed, offset); the caller advances offset by {@link #philoxCounters}. */
    static KernelLaunch uniform(DType t, long out, long n, long seed, long offset, double lo, double hi) {
        KernelArgs a = new KernelArgs().ptr(out).i64(n).i64(seed).i64(offset);
        if (floating("uniform_", t) == DType.FLOAT32) a.f32((float) lo).f32((float) hi); else a.f64(lo).f64(hi);
        return launch("g4_uniform_" + suffix(t), n, a);
    }

    /** Normal(mean, std) by Box-Muller on Philox4x32-10 (seed, offset). */
    static KernelLaunch normal(DType t, long out, long n, long seed, long offset, double mean, double std) {
        KernelArgs a = new KernelArgs().ptr(out).i64(n).i64(seed).i64(offset);
        if (floating("normal_", t) == DType.FLOAT32) a.f32((float) mean).f32((float) std); else a.f64(mean).f64(std);
        return launch("g4_normal_" + suffix(t), n, a);
    }

    /** Philox counters (of 4 words) a fill of n elements consumes: the next fill's offset advance. */
    static long philoxCounters(DType t, long n, boolean normal) {
        if (t == DType.FLOAT32 && !normal) return (n + 3) / 4;
        if (t == DType.FLOAT64 && normal) return n;
        return (n + 1) / 2;
    }

    // ---------------------------------------------------------------- helpers

    private static KernelLaunch launch(String name, long n, KernelArgs a) {
        return new KernelLaunch(name, grid(n), BLOCK, 0, a);
    }

    private static KernelLaunch window(String kernel, DType t, long dst, long src, Window2d w, long count, long n) {
        floating(kernel.substring(3, kernel.length() - 1), t);
        KernelArgs a = new KernelArgs().ptr(dst).ptr(src).struct(w.encode(), Window2d.ALIGN).i64(count);
        return launch(kernel + suffix(t), n, a);
    }

    private static KernelLaunch alongDim(String op, String kernel, DeviceView a, DeviceView b, DeviceView index, int dim,
                                         long err, DeviceView second, DeviceView third) {
        need(op, index, DType.INT64);
        sameDtype(op, a, b);
        oneOf(op, a.dtype(), DType.FLOAT32, DType.FLOAT64, DType.INT64);
        int r = index.shape().length;
        if (a.shape().length != r || b.shape().length != r || dim < 0 || dim >= Math.max(r, 1) || r > TensorDesc.MAX_DIMS) {
            throw new IllegalArgumentException("cuda " + op + ": index " + Arrays.toString(index.shape()) + ", self "
                    + Arrays.toString(a.shape()) + " and src " + Arrays.toString(b.shape()) + " need the same rank (at most "
                    + TensorDesc.MAX_DIMS + ") and dim " + dim + " within it. Fix: check dims as the CPU op does");
        }
        KernelArgs args = new KernelArgs().ptr(a.base()).ptr(b.base()).ptr(index.base())
                .struct(desc(index), TensorDesc.ALIGN).struct(desc(second), TensorDesc.ALIGN)
                .struct(desc(third), TensorDesc.ALIGN).i32(dim).i64(index.numel()).ptr(err);
        return launch(kernel + suffix(a.dtype()), index.numel(), args);
    }

    private static byte[] desc(DeviceView v) {
        return TensorDesc.encode(v.offset(), TensorDesc.longs(v.shape()), TensorDesc.longs(v.strides()));
    }

    /** Joint coalescing of the views' strides over {@code shape.shape()}. */
    private static long[][] coalesce(String op, DeviceView shape, DeviceView... views) {
        long[][] st = new long[views.length][];
        for (int i = 0; i < views.length; i++) st[i] = TensorDesc.longs(views[i].strides());
        return limit(op, TensorDesc.coalesce(TensorDesc.longs(shape.shape()), st));
    }

    private static long[][] limit(String op, long[][] c) {
        if (c[0].length > TensorDesc.MAX_DIMS) {
            throw new IllegalArgumentException("cuda " + op + ": shape " + Arrays.toString(c[0]) + " keeps " + c[0].length
                    + " dims after merging contiguous ones; CUDA kernels walk at most " + TensorDesc.MAX_DIMS
                    + ". Fix: call .contiguous() on the operands first");
        }
        return c;
    }

    private static long product(long[] a) {
        long p = 1;
        for (long v : a) p *= v;
        return p;
    }

    private static void sameShape(String op, DeviceView a, DeviceView b) {
        if (!Arrays.equals(a.shape(), b.shape())) throw new IllegalArgumentException("cuda " + op + ": shapes "
                + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                + " differ. Fix: broadcast first (expand: stride 0 on broadcast dims)");
    }

    private static void sameDtype(String op, DeviceView a, DeviceView b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("cuda " + op + ": dtypes " + a.dtype() + " and "
                + b.dtype() + " differ. Fix: promote the operands to one dtype first (copy casts)");
    }

    private static void need(String op, DeviceView v, DType t) {
        if (v.dtype() != t) throw new IllegalArgumentException("cuda " + op + ": expected " + t + ", got " + v.dtype()
                + " of shape " + Arrays.toString(v.shape()) + ". Fix: pass a " + t + " tensor");
    }

    private static DType floating(String op, DType t) {
        if (!t.isFloatingPoint()) throw noKernel(op, t, "use torch.float32 or torch.float64");
        return t;
    }

    private static void oneOf(String op, DType t, DType... ok) {
        for (DType d : ok) if (d == t) return;
        throw noKernel(op, t, "cast to one of " + Arrays.toString(ok) + " first");
    }

    private static void dilationOne(String op, Window2d w) {
        if (w.dh() != 1 || w.dw() != 1) throw new IllegalArgumentException("cuda " + op + ": dilation must be 1, got "
                + w.dh() + "x" + w.dw() + ". Fix: avg pooling has no dilation in PyTorch");
    }

    private static IllegalArgumentException noKernel(String op, DType t, String fix) {
        return new IllegalArgumentException("cuda " + op + ": no kernel for " + t + ". Fix: " + fix);
    }
}
