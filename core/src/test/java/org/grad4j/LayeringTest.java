package org.grad4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bottom layers import nothing above them (issue 12): a source file under {@code storage/} or
 * {@code kernels/} may name {@code org.grad4j.storage} and {@code org.grad4j.kernels} (and their
 * subpackages) only, by import or by a fully qualified name in code. Comments and strings are not code.
 */
class LayeringTest {
    static final Path SRC = Path.of("src", "main", "java", "org", "grad4j");

    /**
     * Known upward references, each "file -> name" (file relative to org/grad4j): none. (Simd used to warn
     * through {@code org.grad4j.Warnings}; now it speaks through kernels/SimdNotice, whose sink Tensor installs.)
     */
    static final Set<String> KNOWN = Set.of();

    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'", Pattern.DOTALL);
    private static final Pattern UPWARD = Pattern.compile(
            "(import\\s+(?:static\\s+)?)?\\borg\\.grad4j\\.(?!(?:storage|kernels)\\b)[\\w.]*[\\w*]");

    /** Each reference in {@code source} to an org.grad4j package above storage/kernels, as "import x" or "x". */
    static List<String> upwardReferences(String source) {
        String code = COMMENT_OR_STRING.matcher(source).replaceAll(" ");
        List<String> found = new ArrayList<>();
        Matcher m = UPWARD.matcher(code);
        while (m.find()) found.add(m.group().replaceAll("\\s+", " "));
        return found;
    }

    private static boolean isKnown(String file, String name) {
        for (String k : KNOWN) {
            String[] fk = k.split(" -> ");
            if (fk[0].equals(file) && (name.equals(fk[1]) || name.startsWith(fk[1] + "."))) return true;
        }
        return false;
    }

    @Test
    void storageAndKernelsImportNothingAboveThem() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        for (String layer : List.of("storage", "kernels")) {
            try (Stream<Path> files = Files.walk(SRC.resolve(layer))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    scanned++;
                    String rel = SRC.relativize(f).toString().replace('\\', '/');
                    for (String ref : upwardReferences(Files.readString(f))) {
                        String name = ref.replaceFirst("^import (static )?", "");
                        if (!isKnown(rel, name)) violations.add(rel + ": " + ref);
                    }
                }
            }
        }
        assertTrue(scanned > 20, "expected the storage/ and kernels/ sources under " + SRC.toAbsolutePath() + ", found " + scanned);
        assertTrue(violations.isEmpty(), "storage/ and kernels/ are the bottom layers and must not use org.grad4j packages above "
                + "them. Fix: move the type down (as DType moved to org.grad4j.storage) or pass what the kernel needs as a "
                + "parameter. Found:\n  " + String.join("\n  ", violations));
    }

    @Test
    void scannerFindsImportsAndQualifiedNamesButNotCommentsOrStrings() {
        String src = """
                package org.grad4j.kernels;
                import org.grad4j.Tensor;
                import static org.grad4j.Grad4j.zeros;
                import org.grad4j.storage.DType;
                import org.grad4j.kernels.cpu.*;
                /** Mentions {@link org.grad4j.Tensor} only in a comment. */
                class K { Object g = org.grad4j.autograd.GradMode.class; String s = "org.grad4j.Tensor"; }
                """;
        assertEquals(List.of("import org.grad4j.Tensor", "import static org.grad4j.Grad4j.zeros",
                "org.grad4j.autograd.GradMode.class"), upwardReferences(src));
    }
}
