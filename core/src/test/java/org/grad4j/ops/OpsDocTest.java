package org.grad4j.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/ops.md must be exactly what the table renders, so the page cannot drift from the tested ops. */
class OpsDocTest {
    @Test
    void committedPageMatchesTheTable() throws Exception {
        String expected = OpsDoc.render(OpTable.all());
        if (Boolean.getBoolean("grad4j.regenerateDocs")) OpsDoc.main(new String[0]);
        assertTrue(Files.exists(OpsDoc.PATH), "docs/ops.md is missing; regenerate it with -Dgrad4j.regenerateDocs=true");
        assertEquals(expected, Files.readString(OpsDoc.PATH),
                "docs/ops.md differs from the op table; regenerate: ./grad4j test -pl core -Dtest=OpsDocTest -Dgrad4j.regenerateDocs=true");
    }
}
