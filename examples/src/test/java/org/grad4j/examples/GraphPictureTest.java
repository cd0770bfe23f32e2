package org.grad4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphPictureTest {
    @Test
    void drawsSeed000sGraphAsDotAndSvgWhenGraphvizIsThere(@TempDir Path dir) throws Exception {
        GraphPicture.Result r = GraphPicture.run(dir);
        String dot = Files.readString(r.dot());
        for (String label : new String[]{"\"SubBackward0\"", "\"AddBackward0\"", "\"MulBackward0\"", "\"AccumulateGrad\"", "\"w\\n()\"",
                "\"x\\n()\"", "\"b\\n()\""}) {
            assertTrue(dot.contains(label), label + " in\n" + dot);
        }
        if (r.svg() != null) assertTrue(Files.readString(r.svg()).contains("<svg"));
        else assertNotNull(r.note(), "without Graphviz the result says why");
    }

    @Test
    void drawsSeed003sLeafAndNonLeafGraph(@TempDir Path dir) throws Exception {
        String dot = Files.readString(GraphPicture.runSeed003(dir).dot());
        for (String label : new String[]{"\"PowBackward0\"", "\"SubBackward0\"", "\"AddBackward0\"", "\"MulBackward0\"", "\"x\\n()\""}) {
            assertTrue(dot.contains(label), label + " in\n" + dot);
        }
        assertEquals(1, dot.split("fillcolor=lightblue", -1).length - 1, "x is the only leaf:\n" + dot);
    }
}
