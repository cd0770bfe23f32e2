package org.grad4j.property;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A random straight-line tensor program for property-based gradient tests: float inputs whose
 * shapes broadcast to one base shape, then steps that each apply an op to earlier values. Every
 * value keeps the base shape's rank, so any two values broadcast together. Steps cover elementwise
 * ops, broadcasting, reductions with keepdim, views (transpose, expand, strided slices, select,
 * reshape) and in-place ops on non-leaves. {@link #toString()} prints the program as Java code, so a
 * shrunk failing case can be pasted into a test.
 */
record RandomProgram(int[] baseShape, List<int[]> inputShapes, List<Step> steps, long seed) {

    /** One step: op applied to pool values {@code a} and {@code b} (indices taken modulo the pool size). */
    record Step(Op op, int a, int b, int param) {}

    enum Op {
        // unary
        NEG, TANH, SIGMOID, SIN, COS, EXP, SAFE_LOG, SAFE_SQRT, ABS, RELU, SQUARE, CUBE, CLAMP, SAFE_RECIPROCAL,
        MUL_SCALAR, ADD_SCALAR, RSUB_SCALAR,
        // binary with broadcasting
        ADD, SUB, MUL, SAFE_DIV, MAXIMUM, MINIMUM, ADD_ALPHA, WHERE, SAFE_POW,
        // reductions keeping the rank
        SUM_KEEPDIM, MEAN_KEEPDIM,
        // views
        TRANSPOSED_MUL, EXPAND, STRIDED_VIEW, SELECT_UNSQUEEZE, RESHAPE_ROUNDTRIP,
        // in-place on a fresh non-leaf
        INPLACE_ADD, INPLACE_MUL, INPLACE_CLAMP,
        // any smooth elementwise op of the op table, its input squashed into the op's domain
        TABLE_OP
    }

    /** The op table's smooth elementwise ops (erf, softplus, gelu, asinh, ...), for {@link Op#TABLE_OP}. */
    static final java.util.List<org.grad4j.ops.OpTable.Elementwise> TABLE = org.grad4j.ops.OpTable.smoothElementwise();

    private static org.grad4j.ops.OpTable.Elementwise tableOp(int param) { return TABLE.get(Math.floorMod(param, TABLE.size())); }

    int rank() { return baseShape.length; }

    /** Fresh float inputs (same values for the same seed), requiring grad. */
    Tensor[] inputs(DType dtype) {
        Generator g = new Generator().manualSeed(seed);
        Tensor[] in = new Tensor[inputShapes.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = Grad4j.randn(inputShapes.get(i), DType.FLOAT64, g).to(dtype).requiresGrad_();
        }
        return in;
    }

    /** Weights that reduce the program's output to a scalar (a random projection of the Jacobian). */
    Tensor weights(DType dtype) {
        return Grad4j.randn(baseShape, DType.FLOAT64, new Generator().manualSeed(seed + 1)).to(dtype);
    }

    /** Runs the program; returns the last value. */
    Tensor run(Tensor... inputs) {
        List<Tensor> pool = values(inputs);
        return pool.get(pool.size() - 1);
    }

    /** Every value the program computes: the inputs, then one per step. */
    List<Tensor> values(Tensor... inputs) {
        List<Tensor> pool = new ArrayList<>(Arrays.asList(inputs));
        for (Step s : steps) pool.add(apply(s, pick(pool, s.a()), pick(pool, s.b())));
        return pool;
    }

    /** The scalar the gradient tests differentiate: {@code sum(run(inputs) * w)}. */
    Tensor scalar(Tensor w, Tensor... inputs) {
        return run(inputs).mul(w).sum();
    }

    private static Tensor pick(List<Tensor> pool, int i) { return pool.get(Math.floorMod(i, pool.size())); }

    private int dim(int param) { return rank() == 0 ? 0 : Math.floorMod(param, rank()); }

    Tensor apply(Step s, Tensor x, Tensor y) {
        int r = rank(), d = dim(s.param());
        return switch (s.op()) {
            case NEG -> x.neg();
            case TANH -> x.tanh();
            case SIGMOID -> x.sigmoid();
            case SIN -> x.sin();
            case COS -> x.cos();
            case EXP -> x.exp();
            case SAFE_LOG -> x.mul(x).add(1.0).log();
            case SAFE_SQRT -> x.abs().add(0.5).sqrt();
            case ABS -> x.abs();
            case RELU -> x.relu();
            case SQUARE -> x.square();
            case CUBE -> x.pow(3);
            case CLAMP -> x.clamp(-0.75, 0.75);
            case SAFE_RECIPROCAL -> x.mul(x).add(1.0).reciprocal();
            case MUL_SCALAR -> x.mul(1.5);
            case ADD_SCALAR -> x.add(0.5);
            case RSUB_SCALAR -> x.rsub(1.0);
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case SAFE_DIV -> x.div(y.mul(y).add(0.5));
            case MAXIMUM -> x.maximum(y);
            case MINIMUM -> x.minimum(y);
            case ADD_ALPHA -> x.add(y, -0.5);
            case WHERE -> x.where(y.gt(0.0), y);
            case SAFE_POW -> x.abs().add(0.5).pow(y.tanh());
            case SUM_KEEPDIM -> r == 0 ? x.sum() : x.sum(d, true);
            case MEAN_KEEPDIM -> r == 0 ? x.mean() : x.mean(d, true);
            case TRANSPOSED_MUL -> r < 2 ? x.mul(y) : x.transpose(0, r - 1).mul(y.transpose(0, r - 1)).transpose(0, r - 1);
            case EXPAND -> x.expand(baseShape);
            case STRIDED_VIEW -> r == 0 ? x.mul(1.0) : Grad4j.cat(new Tensor[]{x, x}, d).slice(d, 0, 2 * x.size(d), 2);
            case SELECT_UNSQUEEZE -> r == 0 ? x.mul(1.0) : x.select(d, -1).unsqueeze(d);
            case RESHAPE_ROUNDTRIP -> x.reshape(-1).reshape(x.shape());
            case INPLACE_ADD -> x.expand(baseShape).clone().add_(y);
            case INPLACE_MUL -> x.expand(baseShape).clone().mul_(y);
            case INPLACE_CLAMP -> x.mul(1.0).clamp_(-0.75, 0.75);
            case TABLE_OP -> {
                var op = tableOp(s.param());
                yield op.fn().apply(squash(x, op));
            }
        };
    }

    /** Maps any value into the middle 90% of the op's domain: lo + (hi - lo) * (0.05 + 0.9 * sigmoid(x)). */
    private static Tensor squash(Tensor x, org.grad4j.ops.OpTable.Elementwise op) {
        double w = op.hi() - op.lo();
        return x.sigmoid().mul(0.9 * w).add(op.lo() + 0.05 * w);
    }

    /** The Java source of one step, given the names of its operands. */
    private String javaOf(Step s, String x, String y) {
        int r = rank(), d = dim(s.param());
        String base = "new int[]" + Arrays.toString(baseShape).replace('[', '{').replace(']', '}');
        return switch (s.op()) {
            case NEG -> x + ".neg()";
            case TANH -> x + ".tanh()";
            case SIGMOID -> x + ".sigmoid()";
            case SIN -> x + ".sin()";
            case COS -> x + ".cos()";
            case EXP -> x + ".exp()";
            case SAFE_LOG -> x + ".mul(" + x + ").add(1.0).log()";
            case SAFE_SQRT -> x + ".abs().add(0.5).sqrt()";
            case ABS -> x + ".abs()";
            case RELU -> x + ".relu()";
            case SQUARE -> x + ".square()";
            case CUBE -> x + ".pow(3)";
            case CLAMP -> x + ".clamp(-0.75, 0.75)";
            case SAFE_RECIPROCAL -> x + ".mul(" + x + ").add(1.0).reciprocal()";
            case MUL_SCALAR -> x + ".mul(1.5)";
            case ADD_SCALAR -> x + ".add(0.5)";
            case RSUB_SCALAR -> x + ".rsub(1.0)";
            case ADD -> x + ".add(" + y + ")";
            case SUB -> x + ".sub(" + y + ")";
            case MUL -> x + ".mul(" + y + ")";
            case SAFE_DIV -> x + ".div(" + y + ".mul(" + y + ").add(0.5))";
            case MAXIMUM -> x + ".maximum(" + y + ")";
            case MINIMUM -> x + ".minimum(" + y + ")";
            case ADD_ALPHA -> x + ".add(" + y + ", -0.5)";
            case WHERE -> x + ".where(" + y + ".gt(0.0), " + y + ")";
            case SAFE_POW -> x + ".abs().add(0.5).pow(" + y + ".tanh())";
            case SUM_KEEPDIM -> r == 0 ? x + ".sum()" : x + ".sum(" + d + ", true)";
            case MEAN_KEEPDIM -> r == 0 ? x + ".mean()" : x + ".mean(" + d + ", true)";
            case TRANSPOSED_MUL -> r < 2 ? x + ".mul(" + y + ")"
                    : x + ".transpose(0, " + (r - 1) + ").mul(" + y + ".transpose(0, " + (r - 1) + ")).transpose(0, " + (r - 1) + ")";
            case EXPAND -> x + ".expand(" + base + ")";
            case STRIDED_VIEW -> r == 0 ? x + ".mul(1.0)"
                    : "cat(new Tensor[]{" + x + ", " + x + "}, " + d + ").slice(" + d + ", 0, 2 * " + x + ".size(" + d + "), 2)";
            case SELECT_UNSQUEEZE -> r == 0 ? x + ".mul(1.0)" : x + ".select(" + d + ", -1).unsqueeze(" + d + ")";
            case RESHAPE_ROUNDTRIP -> x + ".reshape(-1).reshape(" + x + ".shape())";
            case INPLACE_ADD -> x + ".expand(" + base + ").clone().add_(" + y + ")";
            case INPLACE_MUL -> x + ".expand(" + base + ").clone().mul_(" + y + ")";
            case INPLACE_CLAMP -> x + ".mul(1.0).clamp_(-0.75, 0.75)";
            case TABLE_OP -> {
                var op = tableOp(s.param());
                double w = op.hi() - op.lo();
                String arg = x + ".sigmoid().mul(" + (0.9 * w) + ").add(" + (op.lo() + 0.05 * w) + ")";
                yield "/* " + op.name() + " */ " + op.call().replaceAll("\\bx\\b", java.util.regex.Matcher.quoteReplacement(arg));
            }
        };
    }

    /** The program as Java code (with {@code import static org.grad4j.Grad4j.*}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("\n// random program, seed ").append(seed).append('\n');
        sb.append("Generator g = new Generator().manualSeed(").append(seed).append("L);\n");
        int n = inputShapes.size();
        for (int i = 0; i < n; i++) {
            sb.append("Tensor v").append(i).append(" = randn(new int[]")
                    .append(Arrays.toString(inputShapes.get(i)).replace('[', '{').replace(']', '}'))
                    .append(", DType.FLOAT64, g).requiresGrad_();\n");
        }
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            int pool = n + k;
            String x = "v" + Math.floorMod(s.a(), pool), y = "v" + Math.floorMod(s.b(), pool);
            sb.append("Tensor v").append(pool).append(" = ").append(javaOf(s, x, y)).append(";\n");
        }
        sb.append("Tensor w = randn(new int[]").append(Arrays.toString(baseShape).replace('[', '{').replace(']', '}'))
                .append(", DType.FLOAT64, new Generator().manualSeed(").append(seed + 1).append("L));\n");
        sb.append("GradCheck.gradcheck(in -> /* the program on in[...] */ v").append(n + steps.size() - 1)
                .append(".mul(w).sum(), v0").append(n > 1 ? ", ..." : "").append(");\n");
        return sb.toString();
    }
}
