package org.grad4j.ops;

import org.bytedeco.javacpp.PointerScope;
import org.grad4j.storage.DType;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every op-table row through grad4j and libtorch on the row's samples and their edge variants, in
 * float32 and float64 (and the integer dtypes the row lists), and tallies agreements per family.
 */
final class Oracle {
    static final long SEED = 11;

    /** Per family: cases run, cases that agree, known differences met, and the unknown ones (readable). */
    static final class Family {
        int cases, agree, known;
        final List<String> unknown = new ArrayList<>();
        final List<String> knownIds = new ArrayList<>();
    }

    final Map<String, Family> families = new LinkedHashMap<>();
    final KnownDifferences known;

    Oracle(KnownDifferences known) { this.known = known; }

    static String family(OpInfo op) {
        return switch (op.family) {
            case "Unary" -> "unary";
            case "Binary" -> "binary";
            case "Reduction" -> "reduction";
            case "Shape and indexing" -> "shape";
            case "Linear algebra" -> "linalg";
            case "In-place" -> "inplace";
            case "Casts, conversions and integer semantics" -> "cast";
            case "nn.functional" -> "nn";
            case "Losses (nn.functional)" -> "loss";
            default -> op.family.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        };
    }

    static String dt(DType d) {
        return switch (d) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case INT32 -> "i32";
            case BOOL -> "bool";
            default -> d.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    void runRow(OpInfo op, TorchFn torchFn) {
        String fam = family(op);
        boolean signedZeros = fam.equals("unary") || fam.equals("binary") || fam.equals("inplace");
        boolean values = op.f32Tol <= 1; // random ops (dropout): dtype and shape only
        for (int si = 0; si < op.samples.size(); si++) {
            Samples.Sample s = op.samples.get(si);
            for (DType d : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL)) {
                if (!op.dtypes.contains(d)) continue;
                boolean indexArgs = hasIndexArg(op, s);
                for (EdgeSamples.Variant v : EdgeSamples.variants(s, d, indexArgs)) {
                    String id = fam + "/" + op.name + "/" + dt(d) + "/" + v.name() + "/" + si;
                    boolean nonfinite = v.name().equals("nonfinite");
                    // with infinities in the input, accumulations (matmul, conv, norms) reach NaN or inf by their order
                    boolean orderDependent = nonfinite && (fam.equals("linalg") || fam.equals("nn") || fam.equals("loss"));
                    Compare.Tol tol = d == DType.FLOAT32
                            ? new Compare.Tol(Math.max(op.f32Tol, 1e-4), 1e-5, signedZeros, values, orderDependent, nonfinite)
                            : new Compare.Tol(1e-7, 1e-9, signedZeros, values, orderDependent, nonfinite);
                    long seed = SEED + si;
                    runCase(fam, id, s, tol, () -> EdgeSamples.make(s, d, op.lo, op.hi, seed, v), op, torchFn);
                }
            }
        }
    }

    private static boolean hasIndexArg(OpInfo op, Samples.Sample s) {
        if (op.name.startsWith("ctc_loss")) return false; // lengths, not indices: libtorch does not check them all
        for (Samples.Arg a : s.args()) {
            if (!a.isFixed()) continue;
            Tensor t = a.fixed().get();
            if (t.dtype() == DType.INT64 && t.numel() > 0) return true;
        }
        return false;
    }

    interface Inputs { Tensor[] make(); }

    private void runCase(String fam, String id, Samples.Sample s, Compare.Tol tol, Inputs inputs, OpInfo op, TorchFn torchFn) {
        Family f = families.computeIfAbsent(fam, k -> new Family());
        f.cases++;
        Tensor[] in;
        try {
            in = inputs.make();
        } catch (RuntimeException e) {
            f.unknown.add(id + ": could not make inputs: " + Outcome.message(e));
            return;
        }
        boolean[] diff = new boolean[in.length];
        for (int i = 0; i < in.length; i++) {
            diff[i] = op.grad != OpInfo.Grad.NONE && in[i].isFloatingPoint() && Samples.differentiable(s, i);
        }
        // second derivatives at infinities and NaN depend on the order of the formula's terms: not compared
        boolean twice = op.grad == OpInfo.Grad.TWICE && !id.contains("/nonfinite/");
        compare(f, id, s.desc(), tol, in, diff, twice, op.fn, torchFn);
    }

    /** A hand-written case (family "views"): float64 inputs that all require grad, compared like a table row. */
    void runScenario(String fam, String name, org.grad4j.autograd.GradCheck.Fn g4, TorchFn torchFn, Tensor... in) {
        Family f = families.computeIfAbsent(fam, k -> new Family());
        f.cases++;
        boolean[] diff = new boolean[in.length];
        java.util.Arrays.fill(diff, true);
        compare(f, fam + "/" + name + "/f64/scenario/0", "scenario", new Compare.Tol(1e-7, 1e-9, true, true, false, false), in, diff, true, g4, torchFn);
    }

    private void compare(Family f, String id, String desc, Compare.Tol tol, Tensor[] in, boolean[] diff, boolean twice,
                         org.grad4j.autograd.GradCheck.Fn g4, TorchFn torchFn) {
        String inputsText = describe(in);
        Outcome t;
        try (PointerScope scope = new PointerScope()) {
            org.bytedeco.pytorch.Tensor[] tin = new org.bytedeco.pytorch.Tensor[in.length];
            for (int i = 0; i < in.length; i++) tin[i] = Torch.of(in[i]);
            t = Sides.torch(torchFn, tin, diff, twice);
        }
        Outcome g = Sides.grad4j(g4, in, diff, twice);
        List<String> diffs = Compare.diff(g, t, tol);
        if (diffs.isEmpty()) {
            f.agree++;
            return;
        }
        boolean allKnown = true;
        StringBuilder sb = new StringBuilder(), all = new StringBuilder();
        for (String dline : diffs) {
            String check = dline.substring(0, dline.indexOf(':')).replace(" of input ", "#");
            KnownDifferences.Entry e = known.match(id + "/" + check);
            all.append("\n    ").append(dline);
            if (e == null) {
                allKnown = false;
                sb.append("\n    ").append(dline);
            }
        }
        if (allKnown) {
            f.known++;
            // -Doracle.showKnown=true: the accepted differences in full too
            f.knownIds.add(Boolean.getBoolean("oracle.showKnown") ? id + "  [" + desc + "]\n    inputs: " + inputsText + all : id);
        } else {
            f.unknown.add(id + "  [" + desc + "]\n    inputs: " + inputsText + sb);
        }
    }

    static String describe(Tensor[] in) {
        StringBuilder sb = new StringBuilder();
        for (Tensor x : in) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(x.dtype().torchName().replace("torch.", "")).append(java.util.Arrays.toString(x.shape()))
                    .append(x.isContiguous() ? "" : "(view)").append(" ").append(Outcome.show(x.toDoubleArray()));
        }
        return sb.toString();
    }
}
