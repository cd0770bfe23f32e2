package org.grad4j.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The SIMD/threaded kernels against plain references, with and without the Vector API. */
class FastKernelsTest {
    private final int initialThreads = Parallel.numThreads();

    @AfterEach
    void restoreThreads() {
        Parallel.setNumThreads(initialThreads);
    }

    @Test
    void vectorApiIsOnInTests() {
        assertTrue(Simd.ENABLED, "the build runs tests with --add-modules jdk.incubator.vector");
    }

    @Test
    void kernelsMatchReferenceOneThread() {
        assertNull(KernelCheck.all(1));
    }

    @Test
    void kernelsMatchReferenceTwoThreads() {
        assertNull(KernelCheck.all(2));
    }

    @Test
    void scalarFallbackWithoutVectorModule() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, KernelCheck.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("OK simd=false"), out);
    }

    @Test
    void disabledByProperty() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dgrad4j.simd=false", "-cp",
                System.getProperty("java.class.path"), KernelCheck.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("OK simd=false"), out);
    }

    @Test
    void setNumThreadsValidates() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(0));
        Parallel.setNumThreads(3);
        assertEquals(3, Parallel.numThreads());
    }

    @Test
    void smallRangesRunInlineAndNestedRegionsDoNotSplit() {
        Parallel.setNumThreads(2);
        Thread caller = Thread.currentThread();
        AtomicInteger calls = new AtomicInteger();
        Parallel.forRange(100, 64, (lo, hi) -> {
            calls.incrementAndGet();
            assertSame(caller, Thread.currentThread());
        });
        assertEquals(1, calls.get());
        AtomicInteger inner = new AtomicInteger();
        calls.set(0);
        Parallel.forRange(1000, 100, (lo, hi) -> {
            calls.incrementAndGet();
            Parallel.forRange(1000, 100, (a, b) -> inner.incrementAndGet());
        });
        assertEquals(2, calls.get());
        assertEquals(2, inner.get(), "a nested region must run as one inline chunk");
    }

    @Test
    void chunksCoverTheRangeOnceAndErrorsPropagate() {
        Parallel.setNumThreads(2);
        int[] hits = new int[1000];
        Parallel.forRange(1000, 10, 8, (lo, hi) -> {
            assertEquals(0, lo % 8);
            for (int i = lo; i < hi; i++) hits[i]++;
        });
        for (int h : hits) assertEquals(1, h);
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                Parallel.forRange(1000, 10, (lo, hi) -> { if (lo > 0) throw new IllegalStateException("boom"); }));
        assertTrue(e.getMessage().contains("boom"));
    }

    @Test
    void poolWorkersTakeChunksAndConcurrentCallersEachCoverTheirRange() throws Exception {
        Parallel.setNumThreads(2);
        // a slow chunk: the caller cannot run both before the worker wakes, so a pool thread runs one
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Parallel.forRange(2, 1, (lo, hi) -> {
            names.add(Thread.currentThread().getName());
            try { Thread.sleep(50); } catch (InterruptedException e) { throw new RuntimeException(e); }
        });
        assertTrue(names.stream().anyMatch(n -> n.startsWith("grad4j-intraop-")), "threads used: " + names);

        // four callers at once share one worker (a busy worker is skipped, never waited for), and
        // the pool is replaced midway; every range is still covered exactly once
        int callers = 4, rounds = 300;
        int[][] hits = new int[callers][4096];
        Thread[] ts = new Thread[callers];
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < callers; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++)
                        Parallel.forRange(4096, 256, (lo, hi) -> { for (int i = lo; i < hi; i++) hits[id][i]++; });
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ts[t].start();
        }
        Parallel.setNumThreads(3);
        Parallel.setNumThreads(2);
        for (Thread t : ts) t.join();
        assertNull(failure.get());
        for (int[] h : hits) for (int v : h) assertEquals(rounds, v);
    }
    @Test
    void laneSumsAddInOneFixedOrder() {
        // values whose sum depends on the order: the lane sum must be the sequential one in the
        // interpreter and in compiled code alike (reduceLanes(ADD) leaves the order open)
        assumeTrue(Simd.ENABLED);
        int l = Simd.floatLanes();
        float[] v = new float[l];
        java.util.Arrays.fill(v, 1f);
        v[0] = 1e8f;                  // in sequence the ones before lane l/2 vanish into 1e8; as a tree none do
        v[l / 2] = -1e8f;
        float seq = 0f;
        for (float x : v) seq += x;
        for (int rep = 0; rep < 20_000; rep++) {      // long enough for C2 to compile laneSum
            float got = VectorKernels.laneSum(jdk.incubator.vector.FloatVector.fromArray(VectorKernels.F, v, 0));
            if (got != seq) fail("rep " + rep + ": lane sum " + got + " != sequential " + seq);
        }
    }
}
