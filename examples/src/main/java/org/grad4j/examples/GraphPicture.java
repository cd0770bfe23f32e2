package org.grad4j.examples;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.grad4j.Grad4j.*;

/**
 * Seed 000's computation graph (§2.3), drawn: the leaves x, w and b, the nodes that backward runs
 * (MulBackward0, AddBackward0, SubBackward0), the AccumulateGrad sinks and the tensors mul saved.
 *
 * <pre>
 * x = torch.tensor(1.0, requires_grad=True); w = torch.tensor(2.0, requires_grad=True)
 * b = torch.tensor(3.0, requires_grad=True)
 * y = w * x + b; loss = y - 5
 * torchviz.make_dot(loss, params={"x": x, "w": w, "b": b})
 * </pre>
 *
 * Seed 003's leaf / non-leaf example is drawn too: {@code x} is the only leaf (blue), so only it
 * gets a {@code .grad}; {@code y1}, {@code y2} and {@code loss} are outputs of grey nodes.
 *
 * <pre>
 * x = torch.tensor(3.0, requires_grad=True); y1 = x + 1; y2 = 2 * x; loss = (y1 - y2) ** 2
 * </pre>
 *
 * Run: {@code ./grad4j example GraphPicture [outDir]} (default graph-output): writes
 * {@code seed000.dot} and {@code seed003.dot}, and their {@code .svg} when Graphviz's {@code dot}
 * is installed.
 */
public final class GraphPicture {
    private GraphPicture() {}

    /** Where the files went: the DOT file, and the SVG (null without Graphviz) with the reason when absent. */
    public record Result(Path dot, Path svg, String note) {}

    /** Seed 000 §2.3's graph. */
    public static Result run(Path outDir) throws IOException {
        Tensor x = tensor(1.0).requiresGrad_(), w = tensor(2.0).requiresGrad_(), b = tensor(3.0).requiresGrad_();
        Tensor y = w.mul(x).add(b);
        Tensor loss = y.sub(5);
        Map<String, Tensor> names = new LinkedHashMap<>();
        names.put("x", x);
        names.put("w", w);
        names.put("b", b);
        return draw(loss, names, outDir, "seed000");
    }

    /** Seed 003's leaf / non-leaf graph. */
    public static Result runSeed003(Path outDir) throws IOException {
        Tensor x = tensor(3.0).requiresGrad_();
        Tensor y1 = x.add(1), y2 = x.mul(2);
        Tensor loss = y1.sub(y2).pow(2);
        return draw(loss, Map.of("x", x), outDir, "seed003");
    }

    static Result draw(Tensor t, Map<String, Tensor> names, Path outDir, String base) throws IOException {
        Files.createDirectories(outDir);
        Path dot = outDir.resolve(base + ".dot");
        Files.writeString(dot, Autograd.toDot(t, names));
        Path svg = outDir.resolve(base + ".svg");
        try {
            Autograd.toSvg(t, names, svg);
            return new Result(dot, svg, null);
        } catch (IllegalStateException noGraphviz) {
            return new Result(dot, null, noGraphviz.getMessage());
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "graph-output");
        Result r = run(out);
        System.out.print(Files.readString(r.dot()));
        for (Result each : new Result[]{r, runSeed003(out)}) {
            System.out.println("wrote " + each.dot() + (each.svg() != null ? " and " + each.svg() : ""));
        }
        if (r.svg() == null) System.out.println("no SVG: " + r.note());
    }
}
