package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The backward graph as Graphviz DOT, drawn as torchviz's {@code make_dot} draws it: one grey box
 * per node named as {@code gradFn().name()} prints it, a blue box above each
 * {@code AccumulateGrad} for its leaf (name when known, shape), orange boxes for saved tensors
 * (dashed edges), and a green box for the tensor itself. Edges run from inputs to the node that
 * consumes them, so the output is at the bottom.
 */
final class GraphDot {
    private GraphDot() {}

    /** The Graphviz program; {@code -Dgrad4j.dot=/path/to/dot} picks another one. */
    static String dotProgram() { return System.getProperty("grad4j.dot", "dot"); }

    static String toDot(Tensor root, Map<String, Tensor> names) {
        Map<Tensor, String> nameOf = new IdentityHashMap<>();
        if (names != null) names.forEach((k, v) -> { if (v != null) nameOf.putIfAbsent(v, k); });
        Map<Object, String> ids = new IdentityHashMap<>();
        StringBuilder sb = new StringBuilder("digraph grad4j {\n");
        sb.append("    node [shape=box, style=filled, fillcolor=lightgrey, fontname=\"monospace\", fontsize=12]\n");
        sb.append("    ").append(id(ids, root)).append(" [label=").append(quote(label(root, nameOf, "")))
                .append(", fillcolor=darkolivegreen1]\n");
        Node fn = root.gradFn() != null ? root.gradFn() : root.requiresGrad() ? root.gradAccumulator() : null;
        if (fn == null) return sb.append("}\n").toString();
        sb.append("    ").append(id(ids, fn)).append(" -> ").append(id(ids, root)).append('\n');
        Deque<Node> todo = new ArrayDeque<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        todo.push(fn);
        seen.put(fn, true);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            String nid = id(ids, n);
            sb.append("    ").append(nid).append(" [label=").append(quote(n.name())).append("]\n");
            if (n instanceof AccumulateGrad acc) {
                Tensor v = acc.variable();
                boolean fresh = !ids.containsKey(v);
                String vid = id(ids, v);
                if (fresh) sb.append("    ").append(vid).append(" [label=").append(quote(label(v, nameOf, ""))).append(", fillcolor=lightblue]\n");
                sb.append("    ").append(vid).append(" -> ").append(nid).append('\n');
            }
            Tensor[] saved = n.savedForDisplay();
            for (int i = 0; i < saved.length; i++) {
                Tensor s = saved[i];
                if (s == null) continue;
                boolean fresh = !ids.containsKey(s);
                String sid = id(ids, s);
                if (fresh) {
                    boolean leaf = s.isLeaf() && s.requiresGrad();     // a parameter both saved and accumulated: one blue box
                    sb.append("    ").append(sid).append(" [label=").append(quote(label(s, nameOf, leaf ? "" : "saved " + i)))
                            .append(", fillcolor=").append(leaf ? "lightblue" : "orange").append("]\n");
                }
                sb.append("    ").append(sid).append(" -> ").append(nid).append(" [style=dashed, dir=none]\n");
            }
            for (Edge e : n.nextFunctions()) {
                Node next = e.node();
                if (next == null) continue;
                sb.append("    ").append(id(ids, next)).append(" -> ").append(nid).append('\n');
                if (seen.put(next, true) == null) todo.push(next);
            }
        }
        return sb.append("}\n").toString();
    }

    /** "name\n(3, 4)" as torchviz labels variables; the shape alone when no name is known. */
    private static String label(Tensor t, Map<Tensor, String> nameOf, String fallback) {
        String name = nameOf.getOrDefault(t, fallback);
        String shape = shape(t.shape());
        return name.isEmpty() ? shape : name + "\n" + shape;
    }

    static String shape(int[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) sb.append(i == 0 ? "" : ", ").append(s[i]);
        return sb.append(')').toString();
    }

    private static String id(Map<Object, String> ids, Object o) {
        return ids.computeIfAbsent(o, k -> "n" + ids.size());
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    static void toSvg(Tensor root, Map<String, Tensor> names, Path svg) throws IOException {
        String dot = toDot(root, names);
        String program = dotProgram();
        Process p;
        try {
            p = new ProcessBuilder(program, "-Tsvg", "-o", svg.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Autograd.toSvg: Graphviz's '" + program + "' program was not found (" + e.getMessage()
                    + "). Fix: install Graphviz (Debian/Ubuntu: apt install graphviz; Fedora: dnf install graphviz; macOS: brew "
                    + "install graphviz; Windows: winget install graphviz), or save Autograd.toDot(t) to a .dot file and render it "
                    + "elsewhere (e.g. an online Graphviz viewer)", e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (InputStream out = p.getInputStream()) {
            out.transferTo(log);
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("Autograd.toSvg: interrupted while '" + program + "' was running", e);
        }
        if (rc != 0) {
            throw new IOException("Autograd.toSvg: '" + program + " -Tsvg' failed with exit code " + rc + ": "
                    + log.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
