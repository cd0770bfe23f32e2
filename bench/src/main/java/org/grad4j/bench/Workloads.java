package org.grad4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The workload names, in report order, and the {@code --only} filter. */
final class Workloads {
    private Workloads() {}

    static final int[] MATMUL_SIZES = {256, 512, 1024, 2048};
    static final int CHAIN_BLOCKS = 33;
    static final int CHAIN_OPS = 3 * CHAIN_BLOCKS + 1;
    static final int M1 = 1 << 20, M16 = 1 << 24;

    static List<String> all() {
        List<String> w = new ArrayList<>(List.of("overhead-fwdbwd", "overhead-fwdbwd-checked", "overhead-nograd"));
        for (int n : MATMUL_SIZES) w.add("matmul-" + n);
        for (String op : new String[]{"add", "exp"}) {
            w.add(op + "-1M");
            w.add(op + "-16M");
            w.add(op + "-1M-out");
            w.add(op + "-16M-out");
        }
        w.add("sum-1M");
        w.add("sum-16M");
        w.add("mlp");
        w.add("mlp-checked");
        w.add("lenet");
        // grad4j only (no libtorch peer): loopback all-reduce against memcpy, DDP step against no communication
        w.addAll(List.of("ddp-memcpy-4M", "ddp-allreduce-4M", "ddp-lenet", "ddp-lenet-nocomm"));
        // grad4j only: a 1 GiB model file read into tensors against mapped (SafeTensors.loadMapped)
        w.addAll(List.of("load-heap-1G", "load-mapped-1G"));
        return w;
    }

    /** Parses "a,b,c" (prefixes allowed: "matmul" selects every matmul-n, "add" every add-*). */
    static Set<String> select(String only) {
        if (only == null || only.isBlank()) return new LinkedHashSet<>(all());
        Set<String> out = new LinkedHashSet<>();
        for (String want : only.split(",")) {
            String w = want.trim();
            boolean hit = false;
            for (String name : all()) {
                if (name.equals(w) || name.startsWith(w + "-")) {
                    out.add(name);
                    hit = true;
                }
            }
            if (!hit) throw new IllegalArgumentException("--only: unknown workload '" + w + "'; known: " + all());
        }
        // a checked workload is reported against its unchecked base: measure both
        Set<String> withBases = new LinkedHashSet<>();
        for (String name : all()) {
            if (out.contains(name) || out.contains(name + CHECKED)) withBases.add(name);
        }
        return withBases;
    }

    /** grad4j-only workloads: a base workload run with the NaN/Inf check mode on (CHECK lines). */
    static boolean isChecked(String w) { return w.endsWith(CHECKED); }

    static final String CHECKED = "-checked";

    static String sizeName(int n) { return n == M1 ? "1M" : "16M"; }
}
