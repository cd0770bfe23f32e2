package org.grad4j;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * Renders tensors exactly like PyTorch 2.x's {@code repr(tensor)} ({@code torch/_tensor_str.py}).
 *
 * <p>Independent of any tensor class: the caller describes the tensor by its shape, an element
 * kind and accessors addressing elements by row-major flat index. The structure mirrors the Python
 * module: {@link #repr} is {@code _str_intern}, {@link #tensorStr} is {@code _tensor_str},
 * {@link Formatter} is {@code _Formatter}, {@link #addSuffixes} is {@code _add_suffixes}, and the
 * summarized-data walk reproduces {@code get_summarized_data}.
 *
 * <p>Floating point text reproduces Python's {@code format(float, ".Nf")} / {@code ".Ne"}: the
 * exact binary value of the {@code double} is rounded half-to-even, the exponent has at least two
 * digits, and non-finite values print as {@code nan}, {@code inf}, {@code -inf}. Callers holding
 * {@code float} (or narrower) data must pass the widened {@code double}, as {@code tolist()} does.
 */
final class TensorFormatter {

    /** Element category; selects which accessor is used and how elements are printed. */
    enum Kind {
        /** Floating dtypes; elements read with the {@code doubleAt} accessor. */
        FLOATING,
        /** Integer dtypes; elements read with the {@code longAt} accessor. */
        INTEGRAL,
        /** Boolean dtype; elements read with {@code longAt}, nonzero printed as {@code True}. */
        BOOL
    }

    private static final String PREFIX = "tensor(";

    private TensorFormatter() {}

    /**
     * Full repr using the process-wide {@link PrintOptions#get()}; see
     * {@link #repr(int[], Kind, IntToDoubleFunction, IntToLongFunction, String, boolean, boolean,
     * String, boolean, PrintOptions, String)} (a CPU tensor).
     */
    static String repr(
            int[] shape,
            Kind kind,
            IntToDoubleFunction doubleAt,
            IntToLongFunction longAt,
            String dtypeName,
            boolean dtypeIsPrintedByDefault,
            boolean isDefaultFloatDtype,
            String gradFnName,
            boolean requiresGrad) {
        return repr(shape, kind, doubleAt, longAt, dtypeName, dtypeIsPrintedByDefault,
                isDefaultFloatDtype, gradFnName, requiresGrad, PrintOptions.get(), null);
    }

    /**
     * Full repr, e.g. {@code tensor([1., 2.], requires_grad=True)} (PyTorch's {@code _str_intern}
     * for a plain strided tensor).
     *
     * @param shape sizes; length 0 means a 0-d scalar. Not modified
     * @param kind element category
     * @param doubleAt element by row-major flat index, used for {@link Kind#FLOATING} (may be
     *     {@code null} otherwise)
     * @param longAt element by row-major flat index, used for {@link Kind#INTEGRAL} and
     *     {@link Kind#BOOL} (may be {@code null} for floating tensors)
     * @param dtypeName the dtype as Python's {@code str(dtype)} prints it, e.g.
     *     {@code "torch.float64"}; {@code null} means never print a dtype
     * @param dtypeIsPrintedByDefault {@code true} when the dtype suffix belongs in the repr of a
     *     non-empty tensor, i.e. the dtype is NOT one of PyTorch's "default" dtypes (default float
     *     dtype, default complex dtype, int64, bool). So {@code false} for float32/int64/bool,
     *     {@code true} for float64/int32/...
     * @param isDefaultFloatDtype {@code true} when the dtype equals
     *     {@code torch.get_default_dtype()} (float32 normally); empty tensors print their dtype
     *     unless this is set, e.g. {@code tensor([], dtype=torch.int64)}
     * @param gradFnName name of the grad function, e.g. {@code "AddBackward0"}, or {@code null}
     * @param requiresGrad prints {@code requires_grad=True} when set and {@code gradFnName} is
     *     {@code null}
     * @param opts print options
     * @param device printed as {@code device='cuda:0'}, first among the suffixes (PyTorch's order); {@code null} for CPU
     * @return the repr string
     */
    static String repr(
            int[] shape,
            Kind kind,
            IntToDoubleFunction doubleAt,
            IntToLongFunction longAt,
            String dtypeName,
            boolean dtypeIsPrintedByDefault,
            boolean isDefaultFloatDtype,
            String gradFnName,
            boolean requiresGrad,
            PrintOptions opts,
            String device) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(opts, "opts");
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        if (device != null) suffixes.add("device='" + device + "'");
        String body;
        if (numel(shape) == 0) {
            // NumPy-like: the shape is explicit unless it is (0,).
            if (shape.length != 1) {
                suffixes.add("size=" + pythonTuple(shape));
            }
            // Nothing to infer the dtype from, so everything but the default float dtype shows it.
            if (!isDefaultFloatDtype && dtypeName != null) {
                suffixes.add("dtype=" + dtypeName);
            }
            body = "[]";
        } else {
            if (opts.edgeitems() == 0) {
                suffixes.add("size=" + pythonTuple(shape));
            }
            if (dtypeIsPrintedByDefault && dtypeName != null) {
                suffixes.add("dtype=" + dtypeName);
            }
            body = tensorStr(shape, kind, doubleAt, longAt, indent, opts);
        }
        if (gradFnName != null) {
            suffixes.add("grad_fn=<" + gradFnName + ">");
        } else if (requiresGrad) {
            suffixes.add("requires_grad=True");
        }
        return addSuffixes(PREFIX + body, suffixes, indent, false, opts.linewidth());
    }

    /**
     * The bracketed data part only (PyTorch's {@code _tensor_str}), e.g. {@code [1., 2.]}.
     *
     * @param indent column at which the opening bracket stands (7 for {@code "tensor("})
     */
    static String tensorStr(
            int[] shape,
            Kind kind,
            IntToDoubleFunction doubleAt,
            IntToLongFunction longAt,
            int indent,
            PrintOptions opts) {
        long numel = numel(shape);
        if (numel == 0) {
            return "[]";
        }
        if (kind == Kind.FLOATING) {
            Objects.requireNonNull(doubleAt, "doubleAt is required for FLOATING tensors");
        } else {
            Objects.requireNonNull(longAt, "longAt is required for INTEGRAL/BOOL tensors");
        }
        Walker walker = new Walker(shape, kind, doubleAt, longAt, opts, numel > opts.threshold(), indent);
        return walker.render();
    }

    /**
     * PyTorch's {@code _add_suffixes}: appends {@code ", suffix"} for each suffix, moving it to a
     * new line indented by {@code indent} when the (as PyTorch estimates it) line would exceed
     * {@code linewidth}, then the closing parenthesis.
     */
    static String addSuffixes(
            String tensorStr, List<String> suffixes, int indent, boolean forceNewline, int linewidth) {
        StringBuilder sb = new StringBuilder(tensorStr);
        // PyTorch's estimate: len(s) - s.rfind("\n") + 1, i.e. two more than the real last line.
        int lastNewline = tensorStr.lastIndexOf('\n');
        int lastLineLen = pyLen(tensorStr) - (lastNewline < 0 ? -1 : pyLen(tensorStr.substring(0, lastNewline))) + 1;
        for (String suffix : suffixes) {
            int suffixLen = pyLen(suffix);
            if (forceNewline || lastLineLen + suffixLen + 2 > linewidth) {
                sb.append(",\n").append(" ".repeat(Math.max(0, indent))).append(suffix);
                lastLineLen = indent + suffixLen;
                forceNewline = false;
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffixLen + 2;
            }
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------- Python float formatting

    /** Python's {@code format(v, f".{precision}f")}. */
    static String formatFixed(double v, int precision) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        String digits = new BigDecimal(Math.abs(v)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return signBit(v) ? "-" + digits : digits;
    }

    /** Python's {@code format(v, f".{precision}e")}. */
    static String formatSci(double v, int precision) {
        String special = nonFinite(v);
        if (special != null) {
            return special;
        }
        String digits;
        int exponent;
        if (v == 0.0) {
            digits = "0";
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(Math.abs(v)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            digits = rounded.unscaledValue().toString();
            exponent = digits.length() - 1 - rounded.scale();
        }
        StringBuilder sb = new StringBuilder(precision + 8);
        if (signBit(v)) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (precision > 0) {
            sb.append('.');
            int have = digits.length() - 1;
            sb.append(digits, 1, Math.min(digits.length(), precision + 1));
            sb.append("0".repeat(Math.max(0, precision - have)));
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int absExp = Math.abs(exponent);
        if (absExp < 10) {
            sb.append('0');
        }
        return sb.append(absExp).toString();
    }

    private static String nonFinite(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return null;
    }

    private static boolean signBit(double v) {
        return Double.doubleToRawLongBits(v) < 0;
    }

    // ---------------------------------------------------------------- helpers

    private static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }

    /** Python's {@code str(tuple(shape))}: {@code ()}, {@code (5,)}, {@code (0, 3)}. */
    static String pythonTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** Python's {@code len(str)}: code points, not UTF-16 units. */
    private static int pyLen(String s) {
        return s.codePointCount(0, s.length());
    }

    // ---------------------------------------------------------------- _Formatter

    /** PyTorch's {@code _Formatter}: decides int/sci mode and a common width from a set of elements. */
    private static final class Formatter {
        private final Kind kind;
        private final int precision;
        private boolean intMode = true;
        private boolean sciMode = false;
        private int maxWidth = 1;

        Formatter(Kind kind, IntToDoubleFunction doubleAt, IntToLongFunction longAt, int[] indices,
                int count, PrintOptions opts) {
            this.kind = kind;
            this.precision = opts.precision();
            if (kind != Kind.FLOATING) {
                for (int k = 0; k < count; k++) {
                    maxWidth = Math.max(maxWidth, pyLen(formatPlain(longAt.applyAsLong(indices[k]))));
                }
                return;
            }
            double[] vals = new double[count];
            int n = 0;
            for (int k = 0; k < count; k++) {
                double v = doubleAt.applyAsDouble(indices[k]);
                if (Double.isFinite(v) && v != 0.0) {
                    vals[n++] = v;
                }
            }
            if (n == 0) {
                // No valid number: int mode, no sci mode, width 1 (PRINT_OPTS.sci_mode is not consulted).
                return;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                double a = Math.abs(vals[k]);
                min = Math.min(min, a);
                max = Math.max(max, a);
                if (vals[k] != Math.ceil(vals[k])) {
                    intMode = false;
                }
            }
            sciMode = opts.sciMode() != null
                    ? opts.sciMode()
                    : (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4);
            for (int k = 0; k < n; k++) {
                int len;
                if (sciMode) {
                    len = formatSci(vals[k], precision).length();
                } else if (intMode) {
                    len = formatFixed(vals[k], 0).length() + 1; // room for the trailing "."
                } else {
                    len = formatFixed(vals[k], precision).length();
                }
                maxWidth = Math.max(maxWidth, len);
            }
        }

        int width() {
            return maxWidth;
        }

        String formatDouble(double v) {
            String ret;
            if (sciMode) {
                ret = formatSci(v, precision);
            } else if (intMode) {
                ret = formatFixed(v, 0);
                if (Double.isFinite(v)) {
                    ret += ".";
                }
            } else {
                ret = formatFixed(v, precision);
            }
            return pad(ret);
        }

        String formatLong(long v) {
            return pad(formatPlain(v));
        }

        private String formatPlain(long v) {
            return kind == Kind.BOOL ? (v != 0 ? "True" : "False") : Long.toString(v);
        }

        private String pad(String s) {
            int missing = maxWidth - pyLen(s);
            return missing > 0 ? " ".repeat(missing) + s : s;
        }
    }

    // ---------------------------------------------------------------- _tensor_str_with_formatter

    /** Walks the tensor in row-major order, mirroring the recursive Python functions. */
    private static final class Walker {
        private final int[] shape;
        private final int[] strides;
        private final Kind kind;
        private final IntToDoubleFunction doubleAt;
        private final IntToLongFunction longAt;
        private final PrintOptions opts;
        private final boolean summarize;
        private final int edge;
        private final int indent;
        private Formatter formatter;

        // growable list of flat indices for get_summarized_data
        private int[] picked = new int[16];
        private int pickedCount;

        Walker(int[] shape, Kind kind, IntToDoubleFunction doubleAt, IntToLongFunction longAt,
                PrintOptions opts, boolean summarize, int indent) {
            this.shape = shape.clone();
            this.strides = new int[shape.length];
            int stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= shape[d];
            }
            this.kind = kind;
            this.doubleAt = doubleAt;
            this.longAt = longAt;
            this.opts = opts;
            this.summarize = summarize;
            this.edge = opts.edgeitems();
            this.indent = indent;
        }

        String render() {
            if (summarize) {
                collectSummarized(0, 0);
            } else {
                int n = Math.toIntExact(numel(shape));
                picked = new int[n];
                for (int i = 0; i < n; i++) {
                    picked[i] = i;
                }
                pickedCount = n;
            }
            formatter = new Formatter(kind, doubleAt, longAt, picked, pickedCount, opts);
            return str(0, 0, indent);
        }

        private void pick(int flat) {
            if (pickedCount == picked.length) {
                picked = Arrays.copyOf(picked, picked.length * 2);
            }
            picked[pickedCount++] = flat;
        }

        /** get_summarized_data: the elements the formatter sees when summarizing. */
        private void collectSummarized(int d, int offset) {
            int rem = shape.length - d;
            if (rem == 0) {
                pick(offset);
                return;
            }
            int n = shape[d];
            int st = strides[d];
            if (rem == 1) {
                if (n > 2 * edge) {
                    // torch.cat((self[:e], self[-e:])); note self[-0:] is the whole vector.
                    for (int i = 0; i < edge; i++) {
                        pick(offset + i * st);
                    }
                    for (int i = edge == 0 ? 0 : n - edge; i < n; i++) {
                        pick(offset + i * st);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        pick(offset + i * st);
                    }
                }
                return;
            }
            if (edge == 0) {
                return; // self.new_empty([0] * dim)
            }
            if (n > 2 * edge) {
                for (int i = 0; i < edge; i++) {
                    collectSummarized(d + 1, offset + i * st);
                }
                for (int i = n - edge; i < n; i++) {
                    collectSummarized(d + 1, offset + i * st);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    collectSummarized(d + 1, offset + i * st);
                }
            }
        }

        private String element(int flat) {
            return kind == Kind.FLOATING
                    ? formatter.formatDouble(doubleAt.applyAsDouble(flat))
                    : formatter.formatLong(longAt.applyAsLong(flat));
        }

        private String str(int d, int offset, int indent) {
            int rem = shape.length - d;
            if (rem == 0) {
                return element(offset); // _scalar_str
            }
            if (rem == 1) {
                return vector(d, offset, indent);
            }
            int n = shape[d];
            int st = strides[d];
            List<String> slices = new ArrayList<>();
            if (summarize && n > 2 * edge) {
                for (int i = 0; i < edge; i++) {
                    slices.add(str(d + 1, offset + i * st, indent + 1));
                }
                slices.add("...");
                for (int i = n - edge; i < n; i++) {
                    slices.add(str(d + 1, offset + i * st, indent + 1));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    slices.add(str(d + 1, offset + i * st, indent + 1));
                }
            }
            String sep = "," + "\n".repeat(rem - 1) + " ".repeat(indent + 1);
            return "[" + String.join(sep, slices) + "]";
        }

        /** _vector_str. */
        private String vector(int d, int offset, int indent) {
            int elementLength = formatter.width() + 2; // ", " between elements
            int perLine = Math.max(1, Math.floorDiv(opts.linewidth() - indent, elementLength));
            int n = shape[d];
            int st = strides[d];
            List<String> data = new ArrayList<>();
            if (summarize && edge == 0) {
                data.add("...");
            } else if (summarize && n > 2 * edge) {
                for (int i = 0; i < edge; i++) {
                    data.add(element(offset + i * st));
                }
                data.add(" ...");
                for (int i = n - edge; i < n; i++) {
                    data.add(element(offset + i * st));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    data.add(element(offset + i * st));
                }
            }
            StringBuilder sb = new StringBuilder("[");
            String lineSep = ",\n" + " ".repeat(indent + 1);
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) {
                    sb.append(i % perLine == 0 ? lineSep : ", ");
                }
                sb.append(data.get(i));
            }
            return sb.append(']').toString();
        }
    }
}
