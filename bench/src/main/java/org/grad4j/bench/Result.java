package org.grad4j.bench;

import java.util.Locale;

/**
 * One measured cell: a workload's figure (GFLOP/s, GB/s, steps/s or us/op) in one process.
 * {@code extra} carries side figures (e.g. bytes allocated per step), or "".
 */
record Result(String workload, String side, String config, double value, String unit, double medianSec,
              double minSec, double maxSec, String extra) {

    /** us/op figures are better when lower; every other unit is a rate. */
    boolean lowerIsBetter() { return unit.startsWith("us/"); }

    String toLine() {
        return String.join("\t", workload, side, config, Double.toString(value), unit, Double.toString(medianSec),
                Double.toString(minSec), Double.toString(maxSec), extra);
    }

    static Result parse(String line) {
        String[] f = line.split("\t", -1);
        return new Result(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4], Double.parseDouble(f[5]),
                Double.parseDouble(f[6]), Double.parseDouble(f[7]), f.length > 8 ? f[8] : "");
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "NA";
        if (v >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
