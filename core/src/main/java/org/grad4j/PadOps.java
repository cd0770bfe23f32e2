package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.Shapes;

/** F.pad: constant, reflect, replicate and circular padding of the last dims. */
final class PadOps {
    private PadOps() {}

    /** {@code pad} lists (before, after) pairs starting from the last dim, as in PyTorch. */
    static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        if (pad.length % 2 != 0 || pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length must be even and at most twice the number of dims (got "
                    + pad.length + " for a " + x.dim() + "-d tensor)");
        }
        int nd = pad.length / 2;
        if (!mode.equals("constant") && (nd < 1 || nd > 3 || x.dim() < nd + 1 || x.dim() > nd + 2)) {
            // libtorch pads n spatial dims (n = pad.length / 2) of an [N,] C, spatial... input only
            throw new IllegalArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now "
                    + "(pad: mode '" + mode + "' with " + pad.length + " pad values needs a " + (nd + 1) + "-d or " + (nd + 2)
                    + "-d input, got shape " + java.util.Arrays.toString(x.shape()) + "). Fix: add a batch or channel dim, "
                    + "e.g. x.unsqueeze(0)");
        }
        return switch (mode) {
            case "constant" -> constant(x, pad, value);
            case "reflect", "replicate", "circular" -> gatherPad(x, pad, mode);
            default -> throw new IllegalArgumentException("pad: unrecognised padding mode '" + mode
                    + "'; use constant, reflect, replicate or circular");
        };
    }

    private static Tensor constant(Tensor x, int[] pad, double value) {
        Tensor src = x;
        int[] before = new int[x.dim()], shape = x.shape.clone();
        for (int k = 0; k < pad.length / 2; k++) {
            int d = x.dim() - 1 - k;
            int b = pad[2 * k], a = pad[2 * k + 1];
            if (b < 0) { src = src.narrow(d, -b, src.size(d) + b); b = 0; }
            if (a < 0) { src = src.narrow(d, 0, src.size(d) + a); a = 0; }
            before[d] = b;
            shape[d] = src.size(d) + b + a;
        }
        Tensor out = Grad4j.full(shape, value, x.dtype, x.device());
        int[] cs = Shapes.contiguousStrides(shape);
        int off = 0;
        for (int d = 0; d < shape.length; d++) off += before[d] * cs[d];
        Tensor s = src;
        out.backend().elementwise().copy(s.strided(), OpSupport.at(out, s.shape, cs, off));
        if (Graph.needsGrad(s)) {
            int[] inShape = s.shape;
            int o = off;
            Graph.record(out, "ConstantPadNdBackward0", (g, n) -> new Tensor[]{ShapeOps.window(g[0], inShape, cs, o)}, null, s);
        }
        return out;
    }

    private static Tensor gatherPad(Tensor x, int[] pad, String mode) {
        Tensor r = x;
        for (int k = 0; k < pad.length / 2; k++) {
            int d = x.dim() - 1 - k;
            int n = x.shape[d], b = pad[2 * k], a = pad[2 * k + 1];
            if (mode.equals("reflect") && (b >= n || a >= n)) {
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input dimension, "
                        + "but got: padding (" + b + ", " + a + ") at dimension " + d + " of input " + Shapes.str(x.shape)
                        + ". Fix: pad by at most " + (n - 1) + " there, or use mode \"replicate\" or \"circular\"");
            }
            if (mode.equals("circular") && (b > n || a > n)) {
                throw new IllegalArgumentException("Padding value causes wrapping around more than once (padding (" + b + ", " + a
                        + ") for size " + n + " at dimension " + d + "). Fix: circular padding can be at most the dimension's size");
            }
            if (n == 0) throw new IllegalArgumentException("pad: cannot " + mode + "-pad an empty dimension " + d);
            long[] idx = new long[n + b + a];
            for (int i = -b; i < n + a; i++) {
                int j = switch (mode) {
                    case "reflect" -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                    case "replicate" -> Math.max(0, Math.min(n - 1, i));
                    default -> Math.floorMod(i, n);
                };
                idx[i + b] = j;
            }
            r = r.indexSelect(d, Grad4j.fromArray(idx, idx.length).to(r.device()));
        }
        return r;
    }
}
