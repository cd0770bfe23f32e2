package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;
import org.grad4j.autograd.Edge;
import org.grad4j.autograd.FunctionNode;
import org.grad4j.autograd.Node;
import org.grad4j.autograd.SavedTensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 4 (c): a gradient formula reads only what it saved through {@link SavedTensor} (version
 * checked, dropped on release) or plain values. Runs every op-table row with grad, walks the graph and
 * reflects over each formula lambda's captured fields; a captured Tensor, Tensor[], List, ... fails.
 */
class FormulaCaptureTest {
    @Test
    void noRecordedFormulaCapturesATensorOrAContainerOfValues() {
        Set<String> bad = new TreeSet<>();
        for (OpInfo op : OpTable.all()) {
            if (op.grad == OpInfo.Grad.NONE) continue;
            for (Samples.Sample s : op.samples) {
                Tensor[] in = Samples.make(s, DType.FLOAT64, op.lo, op.hi, 7);
                for (int i = 0; i < in.length; i++)
                    if (in[i].isFloatingPoint() && !in[i].requiresGrad() && Samples.differentiable(s, i)) in[i].requiresGrad_();
                Tensor out;
                try {
                    out = op.fn.apply(in);
                } catch (RuntimeException e) {
                    continue;   // samples meant to fail are checked elsewhere
                }
                walk(out.gradFn(), op.name, bad);
            }
        }
        assertTrue(bad.isEmpty(), "formulas capturing values outside SavedTensor:\n" + String.join("\n", bad));
    }

    /** The same over nn modules the op table does not reach whole: conv, pooling, norms, embedding, RNNs, attention. */
    @Test
    void noModuleFormulaCapturesATensor() {
        org.grad4j.Grad4j.manualSeed(0);
        Set<String> bad = new TreeSet<>();
        Tensor img = org.grad4j.Grad4j.randn(2, 3, 8, 8).requiresGrad_();
        Tensor seq = org.grad4j.Grad4j.randn(5, 2, 4).requiresGrad_();
        Tensor ids = org.grad4j.Grad4j.fromArray(new long[]{1, 0, 3, 2}, 2, 2);
        walk(new org.grad4j.nn.Conv2d(3, 4, 3).forward(img).gradFn(), "Conv2d", bad);
        walk(new org.grad4j.nn.MaxPool2d(2).forward(img).gradFn(), "MaxPool2d", bad);
        walk(new org.grad4j.nn.AvgPool2d(2).forward(img).gradFn(), "AvgPool2d", bad);
        walk(new org.grad4j.nn.BatchNorm2d(3).forward(img).gradFn(), "BatchNorm2d", bad);
        walk(new org.grad4j.nn.GroupNorm(1, 3).forward(img).gradFn(), "GroupNorm", bad);
        walk(new org.grad4j.nn.LayerNorm(4).forward(seq).gradFn(), "LayerNorm", bad);
        walk(new org.grad4j.nn.Embedding(4, 3).forward(ids).gradFn(), "Embedding", bad);
        walk(new org.grad4j.nn.LSTM(4, 3).forward(seq).gradFn(), "LSTM", bad);
        walk(new org.grad4j.nn.GRU(4, 3).forward(seq).gradFn(), "GRU", bad);
        walk(new org.grad4j.nn.RNN(4, 3).forward(seq).gradFn(), "RNN", bad);
        walk(new org.grad4j.nn.MultiheadAttention(4, 2).forward(seq).gradFn(), "MultiheadAttention", bad);
        walk(new org.grad4j.nn.TransformerEncoderLayer(4, 2, 8, 0.0, "relu", 1e-5, false, false).forward(seq).gradFn(), "TransformerEncoderLayer", bad);
        Tensor logits = org.grad4j.Grad4j.randn(4, 5).requiresGrad_();
        Tensor target = org.grad4j.Grad4j.fromArray(new long[]{1, 0, 4, 2}, 4);
        walk(org.grad4j.nn.functional.F.crossEntropy(logits, target).gradFn(), "cross_entropy", bad);
        walk(org.grad4j.nn.functional.F.nllLoss(logits.logSoftmax(1), target).gradFn(), "nll_loss", bad);
        assertTrue(bad.isEmpty(), "module formulas capturing values outside SavedTensor:\n" + String.join("\n", bad));
    }

    /** Reports every formula reachable from {@code root} that captured a non-plain value. */
    static void walk(Node root, String where, Set<String> bad) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> todo = new ArrayDeque<>();
        if (root != null) todo.add(root);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (!seen.add(n)) continue;
            if (n instanceof FunctionNode fn) {
                Object formula = read(fn, "formula");
                if (formula != null) for (String f : capturedValues(formula))
                    bad.add(where + ": node " + n.name() + " formula " + formula.getClass().getSimpleName().replaceAll("\\$\\$Lambda.*", "") + " captures " + f);
            }
            for (Edge e : n.nextFunctions()) if (e.node() != null) todo.add(e.node());
        }
    }

    private static Object read(Object o, String field) {
        try {
            Field f = o.getClass().getDeclaredField(field);
            f.trySetAccessible();
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The captured fields of a lambda (or any formula object) that hold a value beyond plain metadata.
     * Judged by the value, so that a captured helper lambda or record is inspected in turn.
     */
    static java.util.List<String> capturedValues(Object formula) {
        java.util.List<String> out = new java.util.ArrayList<>();
        inspect(formula, "", out, 0);
        return out;
    }

    private static void inspect(Object o, String path, java.util.List<String> out, int depth) {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass())
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                Object v;
                try {
                    if (!f.trySetAccessible()) { out.add(path + f.getName() + " (unreadable " + f.getType().getSimpleName() + ")"); continue; }
                    v = f.get(o);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                String where = path + f.getName();
                String why = judge(v, where, out, depth);
                if (why != null) out.add(where + " of type " + why);
            }
    }

    /** Null when {@code v} is plain (or was inspected), else the name of its offending type. */
    private static String judge(Object v, String where, java.util.List<String> out, int depth) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Enum<?>
                || v instanceof SavedTensor || v instanceof DType) return null;
        Class<?> c = v.getClass();
        if (c.isArray()) {
            if (c.getComponentType().isPrimitive()) return null;
            for (Object e : (Object[]) v) {
                String why = judge(e, where + "[]", out, depth);
                if (why != null) return c.getSimpleName() + " holding " + why;
            }
            return null;
        }
        boolean inspectable = c.isSynthetic() || c.isHidden() || c.isRecord() || c.getName().contains("$$Lambda");
        if (inspectable && depth < 4 && !(v instanceof Tensor)) {
            inspect(v, where + ".", out, depth + 1);
            return null;
        }
        return c.getSimpleName();
    }
}
