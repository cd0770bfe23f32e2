package org.grad4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * core as a named module (module-info.java), seen from a user's named module on the module path: the API
 * packages can be imported, grad4j's internals ({@code org.grad4j.internal}, kernels) cannot, and a
 * training program runs with and without the Vector API. The other tests run on the class path, where
 * module-info is ignored.
 */
class ModuleBoundaryTest {
    static final Set<String> API = Set.of("org.grad4j", "org.grad4j.autograd", "org.grad4j.cuda", "org.grad4j.data", "org.grad4j.distributed",
            "org.grad4j.io", "org.grad4j.nn", "org.grad4j.nn.functional", "org.grad4j.nn.init", "org.grad4j.nn.utils",
            "org.grad4j.optim", "org.grad4j.optim.lr", "org.grad4j.storage");

    /** The compiled core (target/classes, an exploded module with its module-info.class). */
    static Path core() {
        return Path.of(URI.create(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toString()));
    }

    /** Compiles module usermod (requires grad4j.core) from the given sources into dir/out; returns javac's errors. */
    static List<String> compile(Path dir, Map<String, String> sources) throws Exception {
        Path src = dir.resolve("src"), out = dir.resolve("out");
        List<File> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path p = src.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            files.add(p.toFile());
        }
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            javac.getTask(null, fm, diagnostics, List.of("-d", out.toString(), "--module-path", core().toString(),
                            "-classpath", out.toString()),   // not javac's default, this JVM's class path (grad4j on it)
                    null, fm.getJavaFileObjectsFromFiles(files)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).collect(Collectors.toList());
    }

    static final String MODULE_INFO = "module usermod { requires grad4j.core; opens com.acme; }";

    @Test
    void coreExportsExactlyTheApiPackages() {
        ModuleDescriptor d = ModuleFinder.of(core()).find("grad4j.core").orElseThrow().descriptor();
        Set<String> exported = d.exports().stream().peek(e -> assertFalse(e.isQualified(), e.toString()))
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), exported);
        assertTrue(d.packages().containsAll(Set.of("org.grad4j.internal", "org.grad4j.kernels", "org.grad4j.storage")), d.packages().toString());
        var vector = d.requires().stream().filter(r -> r.name().equals("jdk.incubator.vector")).findFirst().orElseThrow();
        assertTrue(vector.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), "the Vector API stays optional: " + vector);
    }

    @Test
    void aNamedModuleCompilesAgainstTheApiPackages(@TempDir Path dir) throws Exception {
        List<String> errors = compile(dir, Map.of("module-info.java", MODULE_INFO, "com/acme/Train.java", TRAIN));
        assertEquals(List.of(), errors);
        // the storage seam is API: a tensor's storage kind, off-heap storages, mapped files
        errors = compile(dir.resolve("storage"), Map.of("module-info.java", MODULE_INFO, "com/acme/Kind.java",
                "package com.acme; class Kind { Object k() { return org.grad4j.Grad4j.ones(1).storage().kind() == "
                        + "org.grad4j.storage.Storage.Kind.OFFHEAP ? org.grad4j.storage.OffHeapStorage.liveBytes() : 0; } }"));
        assertEquals(List.of(), errors);
    }

    @Test
    void grad4jInternalsAndKernelsCannotBeImportedFromANamedModule(@TempDir Path dir) throws Exception {
        Map<String, String> uses = Map.of(
                "org.grad4j.internal", "org.grad4j.internal.Graph.needsGrad(org.grad4j.Grad4j.ones(1))",
                "org.grad4j.kernels", "org.grad4j.kernels.Simd.floatLanes()");
        for (var e : uses.entrySet()) {
            List<String> errors = compile(dir.resolve(e.getKey()), Map.of("module-info.java", MODULE_INFO, "com/acme/Use.java",
                    "package com.acme; class Use { Object use() { return " + e.getValue() + "; } }"));
            assertTrue(errors.stream().anyMatch(m -> m.contains("package " + e.getKey() + " is not visible")
                    && m.contains("which does not export it")), e.getKey() + ": " + errors);
        }
        List<String> errors = compile(dir.resolve("setGradInternal"), Map.of("module-info.java", MODULE_INFO, "com/acme/Use.java",
                "package com.acme; class Use { void use(org.grad4j.Tensor t) { t.setGradInternal(null); } }"));
        assertTrue(errors.stream().anyMatch(m -> m.contains("cannot find symbol")), "setGradInternal left the API: " + errors);
    }

    @Test
    void aTrainingProgramRunsOnTheModulePathWithAndWithoutTheVectorApi(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), compile(dir, Map.of("module-info.java", MODULE_INFO, "com/acme/Train.java", TRAIN)));
        String modulePath = core() + File.pathSeparator + dir.resolve("out");
        String[] plain = run("--module-path", modulePath, "-m", "usermod/com.acme.Train");
        assertEquals("OK", plain[0].strip().lines().reduce((a, b) -> b).orElse(""), plain[0] + plain[1]);
        assertEquals(1, plain[1].split("grad4j runs without SIMD", -1).length - 1, plain[1]);
        String[] simd = run("--add-modules", "jdk.incubator.vector", "--module-path", modulePath, "-m", "usermod/com.acme.Train");
        assertEquals("OK", simd[0].strip().lines().reduce((a, b) -> b).orElse(""), simd[0] + simd[1]);
        assertFalse(simd[1].contains("without SIMD"), simd[1]);
        assertTrue(simd[0].contains("simd=true") && plain[0].contains("simd=false"), plain[0] + simd[0]);
        assertTrue(plain[0].startsWith("[fc1.weight, fc1.bias, fc2.weight, fc2.bias]"), "fields registered through opens: " + plain[0]);
    }

    /** Runs java with the given arguments; returns {stdout, stderr}. */
    static String[] run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("grad4j-module-path", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
            String errText = Files.readString(err);
            assertEquals(0, p.exitValue(), out + errText);
            return new String[]{out, errText};
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The first-hour program (.ci/user-project) in a named module: fields registered through `opens`, SGD learns. */
    static final String TRAIN = """
            package com.acme;

            import org.grad4j.Tensor;
            import org.grad4j.data.DataLoader;
            import org.grad4j.data.MNIST;
            import org.grad4j.nn.Linear;
            import org.grad4j.nn.Module;
            import org.grad4j.nn.ReLU;
            import org.grad4j.nn.functional.F;
            import org.grad4j.optim.SGD;

            import static org.grad4j.Grad4j.*;

            public class Train {
                static final class Mlp extends Module {
                    final Linear fc1 = new Linear(784, 32);
                    final ReLU relu = new ReLU();
                    final Linear fc2 = new Linear(32, 10);

                    @Override
                    public Tensor forward(Tensor x) { return fc2.forward(relu.forward(fc1.forward(x.flatten(1, -1)))); }
                }

                public static void main(String[] args) throws Exception {
                    manualSeed(0);
                    MNIST train = MNIST.shipped(true, MNIST.normalize(MNIST.MEAN, MNIST.STD));
                    Module model = new Mlp();
                    SGD opt = new SGD(model.parameters(), new SGD.Options().lr(0.1));
                    var loader = DataLoader.builder(train).batchSize(100).shuffle(true).seed(0).build();
                    double first = Double.NaN, last = Double.NaN;
                    int step = 0;
                    for (Tensor[] batch : loader) {
                        opt.zeroGrad();
                        Tensor loss = F.crossEntropy(model.forward(batch[0]), batch[1]);
                        loss.backward();
                        opt.step();
                        if (step == 0) first = loss.item();
                        last = loss.item();
                        if (++step == 20) break;
                    }
                    System.out.println(model.namedParameters().keySet() + " simd=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
                    System.out.println(last < first * 0.8 ? "OK" : "FAIL: loss " + first + " -> " + last);
                }
            }
            """;
}
