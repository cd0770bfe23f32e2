package org.grad4j;

import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Products built from matmul and broadcasting: mv, outer, addmm, baddbmm, tensordot, kron, einsum. */
final class MatrixOps {
    private MatrixOps() {}

    static Tensor mv(Tensor a, Tensor v) {
        if (a.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("mv: expected a 2-D matrix and a 1-D vector, got " + Shapes.str(a.shape) + " and " + Shapes.str(v.shape));
        }
        if (a.shape[1] != v.shape[0]) {
            throw new IllegalArgumentException("mv: size mismatch, got input (" + a.shape[0] + "), mat (" + a.shape[0] + "x" + a.shape[1]
                    + "), vec (" + v.shape[0] + "). Fix: the vector's size must equal the matrix's columns");
        }
        return a.matmul(v);
    }

    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected 1-D tensors, got " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    /** {@code beta * input + alpha * (m1 @ m2)}. */
    static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta, double alpha) {
        Tensor p = m1.mm(m2);
        Shapes.broadcast(input.shape, p.shape, "addmm");      // a mismatched input names addmm, not add
        if (alpha != 1) p = p.mul(alpha);
        if (beta == 0) return p.add(Grad4j.zeros(input.shape(), p.dtype()));   // beta = 0 ignores NaN/inf in input, as PyTorch
        return beta == 1 ? input.add(p) : input.mul(beta).add(p);
    }

    static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
        LinalgOps.checkBatches(b1, b2, "baddbmm");
        Tensor p = LinalgOps.bmm(b1, b2);
        Shapes.broadcast(input.shape, p.shape, "baddbmm");
        if (alpha != 1) p = p.mul(alpha);
        return beta == 1 ? input.add(p) : input.mul(beta).add(p);
    }

    /** Contracts dims {@code da} of a with dims {@code db} of b. */
    static Tensor tensordot(Tensor a, Tensor b, int[] da, int[] db) {
        if (da.length != db.length) throw new IllegalArgumentException("tensordot: both dimension lists should have same length");
        int[] wa = new int[da.length], wb = new int[db.length];
        int k = 1;
        for (int i = 0; i < da.length; i++) {
            wa[i] = Shapes.wrapDim(da[i], a.dim(), "tensordot");
            wb[i] = Shapes.wrapDim(db[i], b.dim(), "tensordot");
            if (a.shape[wa[i]] != b.shape[wb[i]]) {
                throw new IllegalArgumentException("tensordot: contracted dimensions need to match, but first has size " + a.shape[wa[i]]
                        + " in dim " + wa[i] + " and second has size " + b.shape[wb[i]] + " in dim " + wb[i]);
            }
            k *= a.shape[wa[i]];
        }
        List<Integer> freeA = new ArrayList<>(), freeB = new ArrayList<>();
        for (int i = 0; i < a.dim(); i++) if (!contains(wa, i)) freeA.add(i);
        for (int i = 0; i < b.dim(); i++) if (!contains(wb, i)) freeB.add(i);
        int[] pa = new int[a.dim()], pb = new int[b.dim()];
        int j = 0, m = 1, n = 1;
        List<Integer> outShape = new ArrayList<>();
        for (int i : freeA) { pa[j++] = i; m *= a.shape[i]; outShape.add(a.shape[i]); }
        for (int i : wa) pa[j++] = i;
        j = 0;
        for (int i : wb) pb[j++] = i;
        for (int i : freeB) { pb[j++] = i; n *= b.shape[i]; outShape.add(b.shape[i]); }
        Tensor r = a.permute(pa).reshape(m, k).mm(b.permute(pb).reshape(k, n));
        return r.reshape(outShape.stream().mapToInt(Integer::intValue).toArray());
    }

    static Tensor tensordot(Tensor a, Tensor b, int dims) {
        int[] da = new int[dims], db = new int[dims];
        for (int i = 0; i < dims; i++) { da[i] = a.dim() - dims + i; db[i] = i; }
        return tensordot(a, b, da, db);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    static Tensor kron(Tensor a, Tensor b) {
        int r = Math.max(a.dim(), b.dim());
        int[] sa = pad(a.shape, r), sb = pad(b.shape, r);
        int[] ia = new int[2 * r], ib = new int[2 * r], out = new int[r];
        for (int i = 0; i < r; i++) {
            ia[2 * i] = sa[i]; ia[2 * i + 1] = 1;
            ib[2 * i] = 1; ib[2 * i + 1] = sb[i];
            out[i] = sa[i] * sb[i];
        }
        return a.reshape(ia).mul(b.reshape(ib)).reshape(out);
    }

    private static int[] pad(int[] s, int r) {
        int[] o = new int[r];
        Arrays.fill(o, 1);
        System.arraycopy(s, 0, o, r - s.length, s.length);
        return o;
    }

    // ------------------------------------------------------------------ einsum

    /**
     * einsum by broadcasting: each operand is aligned to a common label order (repeated labels
     * take a diagonal), operands are multiplied pairwise and labels no longer needed are summed
     * out as early as possible. Supports "..." and implicit output.
     */
    static Tensor einsum(String equation, Tensor... ops) {
        String eq = equation.replace(" ", "");
        String lhs, rhs;
        int arrow = eq.indexOf("->");
        if (arrow >= 0) { lhs = eq.substring(0, arrow); rhs = eq.substring(arrow + 2); }
        else { lhs = eq; rhs = null; }
        String[] terms = lhs.split(",", -1);
        if (terms.length != ops.length) {
            throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation"
                    .replace("more", terms.length < ops.length ? "more" : "fewer") + " ('" + equation + "' has " + terms.length
                    + " operands, got " + ops.length + ")");
        }
        // "..." becomes private labels (chars from U+0100), aligned to the right
        int ell = 0;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i].contains("...")) ell = Math.max(ell, ops[i].dim() - (terms[i].length() - 3));
        }
        StringBuilder ellLabels = new StringBuilder();
        for (int i = 0; i < ell; i++) ellLabels.append((char) (0x100 + i));
        List<String> t = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            String s = terms[i];
            if (s.contains("...")) {
                int n = ops[i].dim() - (s.length() - 3);
                if (n < 0) throw new IllegalArgumentException("einsum(): the number of subscripts in '" + s + "' exceeds operand " + i + "'s dims");
                s = s.replace("...", ellLabels.substring(ell - n));
            }
            if (s.length() != ops[i].dim()) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + s.length()
                        + ") does not match the number of dimensions (" + ops[i].dim() + ") for operand " + i
                        + (terms[i].contains("...") ? "" : " and no ellipsis was given"));
            }
            for (char c : s.toCharArray()) {
                if (!Character.isLetter(c) && c < 0x100) throw new IllegalArgumentException("einsum(): invalid subscript '" + c + "' in '" + equation + "'");
            }
            t.add(s);
        }
        String out;
        if (rhs == null) {
            Map<Character, Integer> count = new LinkedHashMap<>();
            for (String s : t) for (char c : s.toCharArray()) count.merge(c, 1, Integer::sum);
            StringBuilder sb = new StringBuilder(ellLabels);
            count.entrySet().stream().filter(e -> e.getValue() == 1 && e.getKey() < 0x100).map(Map.Entry::getKey).sorted()
                    .forEach(sb::append);
            out = sb.toString();
        } else {
            out = rhs.replace("...", ellLabels);
            for (char c : out.toCharArray()) {
                if (t.stream().noneMatch(s -> s.indexOf(c) >= 0)) {
                    throw new IllegalArgumentException("einsum(): output subscript " + c + " does not appear in the equation for any input operand");
                }
            }
        }
        // every label gets a global position: output labels first, then contracted ones
        StringBuilder all = new StringBuilder(out);
        for (String s : t) for (char c : s.toCharArray()) if (all.indexOf(String.valueOf(c)) < 0) all.append(c);
        String labels = all.toString();
        Tensor acc = null;
        String accLabels = null;
        for (int i = 0; i < ops.length; i++) {
            Tensor x = ops[i];
            String s = t.get(i);
            // repeated labels within one operand: take the diagonal
            for (int p = 0; p < s.length(); p++) {
                int q = s.indexOf(s.charAt(p), p + 1);
                while (q >= 0) {
                    x = x.diagonal(0, p, q).movedim(-1, p);
                    s = s.substring(0, q) + s.substring(q + 1);
                    q = s.indexOf(s.charAt(p), p + 1);
                }
            }
            Tensor aligned = align(x, s, labels);
            acc = acc == null ? aligned : acc.mul(aligned);
            accLabels = labels;
            // sum out labels used by no later operand and not in the output
            List<Integer> done = new ArrayList<>();
            for (int p = out.length(); p < labels.length(); p++) {
                char c = labels.charAt(p);
                boolean later = false;
                for (int j = i + 1; j < ops.length; j++) if (t.get(j).indexOf(c) >= 0) later = true;
                if (!later && acc.size(p) > 1) done.add(p);
            }
            if (!done.isEmpty()) acc = acc.sum(done.stream().mapToInt(Integer::intValue).toArray(), true);
        }
        // remaining contracted dims are size 1 (or summed): reduce and drop them
        int[] extra = new int[labels.length() - out.length()];
        for (int p = 0; p < extra.length; p++) extra[p] = out.length() + p;
        if (extra.length > 0) acc = acc.sum(extra, false);
        // broadcast output dims of size 1 to their true size (a label can be size 1 in every operand)
        return acc;
    }

    /** Permutes x (labels s) into the order of {@code labels}, inserting size-1 dims for absent labels. */
    private static Tensor align(Tensor x, String s, String labels) {
        List<Integer> perm = new ArrayList<>();
        int[] shape = new int[labels.length()];
        for (int p = 0; p < labels.length(); p++) {
            int at = s.indexOf(labels.charAt(p));
            if (at >= 0) { perm.add(at); shape[p] = x.size(at); }
            else shape[p] = 1;
        }
        Tensor r = x.permute(perm.stream().mapToInt(Integer::intValue).toArray());
        return r.reshape(shape);
    }
}
