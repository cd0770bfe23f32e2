package org.grad4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sets the thread count of every OpenBLAS copy mapped into this process. libtorch's
 * {@code set_num_threads} does not reach OpenBLAS's own pthreads pool, and the JavaCPP presets map
 * two copies of OpenBLAS (see the peer harness's NOTES.md), so each is bound by path with FFM.
 */
final class BlasThreads {
    private BlasThreads() {}

    static Set<Path> mapped() throws Exception {
        Set<Path> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int i = line.indexOf('/');
            if (i < 0) continue;
            Path p = Path.of(line.substring(i).trim());
            if (p.getFileName().toString().startsWith("libopenblas")) out.add(p);
        }
        return out;
    }

    /** Calls openblas_set_num_threads(n) on every mapped copy; returns how many copies were set. */
    static int set(int n) throws Throwable {
        int count = 0;
        Linker linker = Linker.nativeLinker();
        for (Path p : mapped()) {
            SymbolLookup lib = SymbolLookup.libraryLookup(p, Arena.global());
            MethodHandle h = linker.downcallHandle(lib.findOrThrow("openblas_set_num_threads"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            h.invokeExact(n);
            count++;
        }
        return count;
    }
}
