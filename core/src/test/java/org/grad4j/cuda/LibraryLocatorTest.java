package org.grad4j.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Where cuBLAS is looked for, with fake directories and a fake environment. */
class LibraryLocatorTest {
    @TempDir
    Path root;
    final Map<String, String> env = new HashMap<>(), props = new HashMap<>();
    List<String> ldconfig = List.of();
    Optional<Path> python = Optional.empty();
    final AtomicInteger pythonAsked = new AtomicInteger();

    LibraryLocator.Env fake() {
        return new LibraryLocator.Env(env::get, props::get, root, () -> ldconfig, () -> {
            pythonAsked.incrementAndGet();
            return python;
        });
    }

    Path cublasIn(String dir, String version) throws Exception {
        Path d = root.resolve(dir);
        Files.createDirectories(d);
        Files.writeString(d.resolve("libcublas.so." + version), "");
        Files.writeString(d.resolve("libcublasLt.so." + version), "");
        return d;
    }

    @Test
    void nothingInstalledFindsNothingAfterAskingPythonLast() {
        assertEquals(Optional.empty(), LibraryLocator.find(fake()));
        assertEquals(1, pythonAsked.get());
        CuBlas.Loaded l = CuBlas.load(fake());
        assertNull(l.cublas());
        assertTrue(l.reason().contains("no libcublas"), l.reason());
    }

    @Test
    void theOrderIsPropertyThenCudaInstallThenLdLibraryPathThenLdconfigThenPythonWheels() throws Exception {
        Path wheel = cublasIn("venv/lib/python3.12/site-packages/nvidia/cublas/lib", "12");
        env.put("VIRTUAL_ENV", root.resolve("venv").toString());
        assertEquals(wheel.resolve("libcublas.so.12"), LibraryLocator.find(fake()).orElseThrow().cublas());
        assertEquals(0, pythonAsked.get(), "a wheel found by path needs no python process");

        Path fromLdconfig = cublasIn("usr/lib/x86_64-linux-gnu", "12");
        ldconfig = List.of("\tlibcublas.so.12 (libc6,x86-64) => " + fromLdconfig.resolve("libcublas.so.12"));
        assertEquals(fromLdconfig, LibraryLocator.find(fake()).orElseThrow().cublas().getParent());

        Path ld = cublasIn("opt/libs", "12");
        env.put("LD_LIBRARY_PATH", "/nonexistent:" + ld);
        assertEquals(ld, LibraryLocator.find(fake()).orElseThrow().cublas().getParent());

        Path system = cublasIn("usr/local/cuda-12.4/lib64", "12");
        Path newer = cublasIn("usr/local/cuda-12.10/lib64", "12");
        assertEquals(newer, LibraryLocator.find(fake()).orElseThrow().cublas().getParent(), "the newest versioned install first");
        assertNotEquals(system, newer);

        Path cuda = cublasIn("usr/local/cuda/lib64", "13");
        assertEquals(cuda.resolve("libcublas.so.13"), LibraryLocator.find(fake()).orElseThrow().cublas());

        Path own = cublasIn("mine", "12");
        props.put("grad4j.cublas.dir", own.toString());
        LibraryLocator.Found f = LibraryLocator.find(fake()).orElseThrow();
        assertEquals(own.resolve("libcublas.so.12"), f.cublas());
        assertEquals(own.resolve("libcublasLt.so.12"), f.cublasLt());
    }

    @Test
    void aDirectoryPrefersVersion13AndNeedsLtOfTheSameVersion() throws Exception {
        Path d = cublasIn("usr/local/cuda/lib64", "12");
        Files.writeString(d.resolve("libcublas.so.13"), "");   // 13 without its libcublasLt: not usable
        assertEquals(d.resolve("libcublas.so.12"), LibraryLocator.find(fake()).orElseThrow().cublas());
        Files.writeString(d.resolve("libcublasLt.so.13"), "");
        assertEquals(d.resolve("libcublas.so.13"), LibraryLocator.find(fake()).orElseThrow().cublas());
    }

    @Test
    void pythonIsAskedWhenNoDirectoryHasCublas() throws Exception {
        Path site = cublasIn("somewhere/nvidia/cublas/lib", "12");
        python = Optional.of(site);
        assertEquals(site.resolve("libcublas.so.12"), LibraryLocator.find(fake()).orElseThrow().cublas());
        assertEquals(1, pythonAsked.get());
    }

    @Test
    void aFoundFileThatIsNoLibraryLeavesCublasUnavailableWithAReason() throws Exception {
        cublasIn("usr/local/cuda/lib64", "12");   // empty files: dlopen refuses them
        CuBlas.Loaded l = CuBlas.load(fake());
        assertNull(l.cublas());
        assertTrue(l.reason().startsWith("cannot load "), l.reason());
    }

    @Test
    void versionedInstallsSortNumerically() {
        assertTrue(LibraryLocator.compareVersions("cuda-12.10", "cuda-12.4") > 0);
        assertTrue(LibraryLocator.compareVersions("cuda-13.0", "cuda-12.10") > 0);
    }
}
