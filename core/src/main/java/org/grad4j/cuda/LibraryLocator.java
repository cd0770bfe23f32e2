package org.grad4j.cuda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds cuBLAS ({@code libcublas.so.13}, else {@code .12}, with its {@code libcublasLt} from the same
 * directory). The directories are tried in this order, and in each the newest version first:
 * <ol>
 *   <li>{@code -Dgrad4j.cublas.dir=DIR}, if set;
 *   <li>a system CUDA install: {@code $CUDA_HOME/lib64}, {@code $CUDA_PATH/lib64}, {@code /usr/local/cuda/lib64},
 *       then {@code /usr/local/cuda-*}{@code /lib64} (newest first);
 *   <li>the entries of {@code LD_LIBRARY_PATH};
 *   <li>the directories {@code ldconfig -p} lists for {@code libcublas.so.*};
 *   <li>a Python {@code nvidia-cublas} wheel: {@code nvidia/cublas/lib} under the site-packages of
 *       {@code $VIRTUAL_ENV}, {@code $CONDA_PREFIX}, {@code ~/.local}, {@code /usr/local} and {@code /usr}
 *       ({@code lib/python3.*}{@code /site-packages} and {@code dist-packages}), and last the directory that
 *       {@code python3} on the PATH reports for {@code nvidia.cublas} (one process, 5 s at most).
 * </ol>
 * Nothing is downloaded. The environment is a parameter so that tests can fake it.
 */
final class LibraryLocator {
    static final List<String> VERSIONS = List.of("13", "12");

    /** What the search reads from the machine. */
    record Env(Function<String, String> getenv, Function<String, String> property, Path root,
               Supplier<List<String>> ldconfig, Supplier<Optional<Path>> pythonCublasDir) {
        static Env system() {
            return new Env(System::getenv, System::getProperty, Path.of("/"), LibraryLocator::ldconfigLines,
                    LibraryLocator::askPython);
        }
    }

    /** A cuBLAS found: the two libraries' paths. */
    record Found(Path cublas, Path cublasLt) {}

    private LibraryLocator() {}

    /** The first directory (in the documented order) holding libcublas and libcublasLt of one version. */
    static Optional<Found> find(Env env) {
        for (Path dir : directories(env)) {
            Optional<Found> f = in(dir);
            if (f.isPresent()) return f;
        }
        Optional<Path> py = env.pythonCublasDir().get();   // last: it starts a process
        return py.flatMap(LibraryLocator::in);
    }

    /** libcublas.so.V and libcublasLt.so.V in {@code dir}, newest V first. */
    static Optional<Found> in(Path dir) {
        for (String v : VERSIONS) {
            Path b = dir.resolve("libcublas.so." + v), lt = dir.resolve("libcublasLt.so." + v);
            if (Files.isRegularFile(b) && Files.isRegularFile(lt)) return Optional.of(new Found(b, lt));
        }
        return Optional.empty();
    }

    /** The directories to try, in order (without the python3 query). */
    static List<Path> directories(Env env) {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        String own = env.property().apply("grad4j.cublas.dir");
        if (own != null && !own.isBlank()) dirs.add(Path.of(own));
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = env.getenv().apply(var);
            if (v != null && !v.isBlank()) dirs.add(Path.of(v, "lib64"));
        }
        Path local = env.root().resolve("usr/local");
        dirs.add(local.resolve("cuda/lib64"));
        List<Path> versioned = new ArrayList<>(glob(local, "cuda-*"));
        versioned.sort((a, b) -> compareVersions(b.getFileName().toString(), a.getFileName().toString()));
        for (Path p : versioned) dirs.add(p.resolve("lib64"));
        String ld = env.getenv().apply("LD_LIBRARY_PATH");
        if (ld != null) for (String e : ld.split(":")) if (!e.isBlank()) dirs.add(Path.of(e));
        for (String line : env.ldconfig().get()) {
            int arrow = line.indexOf("=> ");
            if (line.contains("libcublas.so.") && arrow >= 0) {
                Path parent = Path.of(line.substring(arrow + 3).trim()).getParent();
                if (parent != null) dirs.add(parent);
            }
        }
        List<Path> prefixes = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = env.getenv().apply(var);
            if (v != null && !v.isBlank()) prefixes.add(Path.of(v));
        }
        String home = env.getenv().apply("HOME");
        if (home != null) prefixes.add(Path.of(home, ".local"));
        prefixes.add(local);
        prefixes.add(env.root().resolve("usr"));
        for (Path prefix : prefixes) {
            for (Path py : glob(prefix.resolve("lib"), "python3*")) {
                for (String site : List.of("site-packages", "dist-packages")) dirs.add(py.resolve(site).resolve("nvidia/cublas/lib"));
            }
            dirs.add(prefix.resolve("lib/python3/dist-packages/nvidia/cublas/lib"));
        }
        return List.copyOf(dirs);
    }

    /** "cuda-13.0" after "cuda-12.4" after "cuda-12.10"? Numeric per dotted part. */
    static int compareVersions(String a, String b) {
        String[] x = a.replaceAll("[^0-9.]", "").split("\\."), y = b.replaceAll("[^0-9.]", "").split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length && !x[i].isEmpty() ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length && !y[i].isEmpty() ? Integer.parseInt(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static List<Path> glob(Path dir, String pattern) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : ds) if (Files.isDirectory(p)) out.add(p);
        } catch (IOException | RuntimeException e) {
            // an unreadable directory holds nothing we can load
        }
        out.sort(null);
        return out;
    }

    private static List<String> ldconfigLines() {
        for (String exe : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            if (exe.startsWith("/") && !Files.isExecutable(Path.of(exe))) continue;
            List<String> lines = run(List.of(exe, "-p"));
            if (!lines.isEmpty()) return lines;
        }
        return List.of();
    }

    private static Optional<Path> askPython() {
        List<String> out = run(List.of("python3", "-c",
                "import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], 'lib'))"));
        return out.isEmpty() || out.getFirst().isBlank() ? Optional.empty() : Optional.of(Path.of(out.getFirst().trim()));
    }

    /** A command's stdout lines; empty when it cannot run, fails or takes more than 5 s. */
    private static List<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? lines : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
