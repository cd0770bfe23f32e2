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
 * Run: {@code ./grad4j example GraphPicture [outDir]} (default graph-output): writes
 * {@code seed000.dot}, and {@code seed000.svg} when Graphviz's {@code dot} is installed.
 */
public final class GraphPicture {
    private GraphPicture() {}

    /** Where the files went: the DOT file, and the SVG (null without Graphviz) with the reason when absent. */
    public record Result(Path dot, Path svg, String note) {}

    public static Result run(Path outDir) throws IOException {
        Tensor x = tensor(1.0).requiresGrad_(), w = tensor(2.0).requiresGrad_(), b = tensor(3.0).requiresGrad_();
        Tensor y = w.mul(x).add(b);
        Tensor loss = y.sub(5);
        Map<String, Tensor> names = new LinkedHashMap<>();
        names.put("x", x);
        names.put("w", w);
        names.put("b", b);

        Files.createDirectories(outDir);
        Path dot = outDir.resolve("seed000.dot");
        Files.writeString(dot, Autograd.toDot(loss, names));
        Path svg = outDir.resolve("seed000.svg");
        try {
            Autograd.toSvg(loss, names, svg);
            return new Result(dot, svg, null);
        } catch (IllegalStateException noGraphviz) {
            return new Result(dot, null, noGraphviz.getMessage());
        }
    }

    public static void main(String[] args) throws IOException {
        Result r = run(Path.of(args.length > 0 ? args[0] : "graph-output"));
        System.out.print(Files.readString(r.dot()));
        System.out.println("wrote " + r.dot());
        if (r.svg() != null) System.out.println("wrote " + r.svg());
        else System.out.println("no SVG: " + r.note());
    }
}
