package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Autograd.toDot / toSvg: the backward graph as Graphviz DOT (issue 15 item 8). */
class GraphDotTest {
    /** The DOT text parsed back: node id -> label (and fill colour), and the edges as "label -> label". */
    record Parsed(Map<String, String> labels, Map<String, String> colors, List<String> edges, List<String> dashed) {
        static Parsed of(String dot) {
            Map<String, String> labels = new HashMap<>(), colors = new HashMap<>();
            List<String> raw = new ArrayList<>(), dashed = new ArrayList<>();
            Matcher n = Pattern.compile("(?m)^    (n\\d+) \\[label=\"((?:[^\"\\\\]|\\\\.)*)\"(?:, fillcolor=(\\w+))?\\]$").matcher(dot);
            while (n.find()) {
                labels.put(n.group(1), n.group(2).replace("\\n", " "));
                if (n.group(3) != null) colors.put(n.group(1), n.group(3));
            }
            Matcher e = Pattern.compile("(?m)^    (n\\d+) -> (n\\d+)( \\[style=dashed, dir=none\\])?$").matcher(dot);
            List<String> edges = new ArrayList<>();
            while (e.find()) {
                String s = labels.get(e.group(1)) + " -> " + labels.get(e.group(2));
                (e.group(3) == null ? edges : dashed).add(s);
            }
            return new Parsed(labels, colors, edges, dashed);
        }
    }

    @Test
    void seed000sGraphHasItsNodesLeavesAndEdges() {
        // seed 000 §2.3: x=1, w=2, b=3; y = w*x + b; loss = y - 5
        Tensor x = tensor(1.0).requiresGrad_(), w = tensor(2.0).requiresGrad_(), b = tensor(3.0).requiresGrad_();
        Tensor loss = w.mul(x).add(b).sub(5);
        String dot = Autograd.toDot(loss, Map.of("x", x, "w", w, "b", b));
        assertTrue(dot.startsWith("digraph grad4j {\n"), dot);
        Parsed p = Parsed.of(dot);
        assertTrue(p.edges().containsAll(List.of("SubBackward0 -> ()", "AddBackward0 -> SubBackward0", "MulBackward0 -> AddBackward0",
                "AccumulateGrad -> MulBackward0", "AccumulateGrad -> AddBackward0", "w () -> AccumulateGrad", "x () -> AccumulateGrad",
                "b () -> AccumulateGrad")), p.edges() + "\n" + dot);
        assertEquals(9, p.edges().size(), dot);
        long accumulators = p.labels().values().stream().filter("AccumulateGrad"::equals).count();
        assertEquals(3, accumulators, "one AccumulateGrad per leaf");
        assertTrue(p.dashed().containsAll(List.of("w () -> MulBackward0", "x () -> MulBackward0")), "mul saves both operands: " + p.dashed());
        String leaf = p.labels().entrySet().stream().filter(en -> en.getValue().equals("w ()")).findFirst().orElseThrow().getKey();
        assertEquals("lightblue", p.colors().get(leaf));
    }

    @Test
    void leavesAndSavedTensorsShowTheirShapesAndModuleParametersTheirNames() {
        Linear fc = new Linear(3, 2);
        Tensor out = fc.call(ones(4, 3)).relu().sum();
        Parsed p = Parsed.of(Autograd.toDot(out, fc.namedParameters()));
        assertTrue(p.labels().containsValue("weight (2, 3)"), p.labels().toString());
        assertTrue(p.labels().containsValue("bias (2)"), p.labels().toString());
        assertTrue(p.labels().containsValue("SumBackward0"), p.labels().toString());
        assertTrue(p.labels().containsValue("ReluBackward0"), p.labels().toString());
        assertTrue(p.labels().values().stream().anyMatch(l -> l.matches("saved \\d+ \\(4, 2\\)")), "relu saves its result: " + p.labels());
        assertTrue(p.labels().containsValue("()"), "the output, a 0-d tensor");
    }

    @Test
    void aTensorWithoutHistoryIsOneBoxAndLabelsAreEscaped() {
        Parsed p = Parsed.of(Autograd.toDot(ones(2, 2)));
        assertEquals(Map.of("n0", "(2, 2)"), p.labels());
        Tensor q = tensor(1.0).requiresGrad_();
        String dot = Autograd.toDot(q.mul(2), Map.of("say \"hi\"", q));
        assertTrue(dot.contains("\"say \\\"hi\\\"\\n()\""), dot);
    }

    @Test
    void customFunctionsShowTheirNameAndSavedTensors() {
        class Square extends Function {
            @Override protected Tensor forward(FunctionCtx ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].mul(in[0]);
            }
            @Override protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
                return new Tensor[]{g[0].mul(ctx.savedTensors()[0]).mul(2)};
            }
        }
        Tensor x = ones(3).requiresGrad_();
        Parsed p = Parsed.of(Autograd.toDot(new Square().apply(x), Map.of("x", x)));
        assertTrue(p.edges().contains("AccumulateGrad -> SquareBackward"), p.edges().toString());
        assertTrue(p.dashed().contains("x (3) -> SquareBackward"), p.dashed().toString());
    }

    @Test
    void toSvgRunsDotAndSaysWhatToInstallWithoutIt(@TempDir Path dir) throws IOException {
        Tensor x = tensor(1.0).requiresGrad_();
        Tensor y = x.mul(3);
        String old = System.getProperty("grad4j.dot");
        try {
            System.setProperty("grad4j.dot", dir.resolve("no-such-dot").toString());
            var e = assertThrows(IllegalStateException.class, () -> Autograd.toSvg(y, dir.resolve("g.svg")));
            assertTrue(e.getMessage().contains("Fix: install Graphviz (Debian/Ubuntu: apt install graphviz"), e.getMessage());

            // a stand-in for dot: copies its standard input to the -o file
            Path fake = dir.resolve("fake-dot");
            Files.writeString(fake, "#!/bin/sh\n[ \"$1\" = -Tsvg ] && [ \"$2\" = -o ] && cat > \"$3\"\n");
            assertTrue(fake.toFile().setExecutable(true));
            System.setProperty("grad4j.dot", fake.toString());
            Path svg = dir.resolve("g.svg");
            Autograd.toSvg(y, svg);
            assertEquals(Autograd.toDot(y), Files.readString(svg));
        } finally {
            if (old == null) System.clearProperty("grad4j.dot");
            else System.setProperty("grad4j.dot", old);
        }
    }
}
