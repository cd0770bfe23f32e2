package org.grad4j.ops;

import org.grad4j.storage.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the op table as docs/ops.md. Regenerate with
 * {@code ./grad4j test -pl core -Dtest=OpsDocTest -Dgrad4j.regenerateDocs=true}.
 */
public final class OpsDoc {
    private OpsDoc() {}

    static final Path PATH = Path.of("..", "docs", "ops.md");

    static String render(List<OpInfo> ops) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Operators: PyTorch name to grad4j call\n\n");
        sb.append("Generated from the op table (core/src/test/java/org/grad4j/ops); do not edit by hand. Every row is\n");
        sb.append("tested: forward against known values or a reference function, float32 against float64, broadcast,\n");
        sb.append("0-d, empty and non-contiguous inputs, and gradients by finite differences in float64 (gradcheck;\n");
        sb.append("gradgradcheck where the gradient column says \"twice\"). `x`, `a`, `b` are tensors; static functions\n");
        sb.append("are on `org.grad4j.Grad4j`; `F.xxx` activations are Tensor methods here, and `F` is\n");
        sb.append("`org.grad4j.nn.functional.F` (PyTorch's `torch.nn.functional`). Loss rows check the 'none', 'sum' and\n");
        sb.append("'mean' reductions together; targets and class indices are not differentiated.\n");
        Map<String, List<OpInfo>> byFamily = new LinkedHashMap<>();
        for (OpInfo op : ops) byFamily.computeIfAbsent(op.family, k -> new java.util.ArrayList<>()).add(op);
        for (var e : byFamily.entrySet()) {
            sb.append("\n## ").append(e.getKey()).append("\n\n");
            boolean notes = e.getValue().stream().anyMatch(op -> !op.note.isEmpty());
            sb.append("| PyTorch | grad4j | dtypes | gradient | grad_fn |").append(notes ? " notes |" : "")
                    .append("\n|---|---|---|---|---|").append(notes ? "---|" : "").append("\n");
            for (OpInfo op : e.getValue()) {
                sb.append("| ").append(op.torchNames.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
                        .append(" | `").append(op.call).append("`")
                        .append(" | ").append(dtypes(op))
                        .append(" | ").append(switch (op.grad) { case NONE -> "-"; case ONCE -> "once"; case TWICE -> "twice"; })
                        .append(" | ").append(op.node == null ? "" : "`" + op.node + "`")
                        .append(notes ? " | " + op.note : "")
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String dtypes(OpInfo op) {
        return op.dtypes.stream().map(DType::torchName).map(n -> n.replace("torch.", "")).collect(Collectors.joining(" "));
    }

    /** Writes docs/ops.md (run from the core module directory). */
    public static void main(String[] args) throws IOException {
        Files.writeString(PATH, render(OpTable.all()));
    }
}
