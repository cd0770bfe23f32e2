package org.grad4j.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's per-epoch progress bar: one line of fixed width, redrawn in place at most every
 * 250 ms on a terminal, then erased so the epoch's summary line takes its place:
 * <pre>
 * epoch  3/12 [==============&gt;               ]  48%  3840/8000 | loss 0.1234  acc 96.12% |   6123 img/s  ETA 0:01
 * </pre>
 * One throughput figure (images per second since the epoch started), a {@code |} before the
 * metrics and before the speed, and an ETA that is never a "?" (it reads {@code --:--} until
 * there is a rate to go by). Off a terminal nothing is drawn.
 */
final class ProgressLine implements AutoCloseable {
    static final int BAR = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final String task;
    private final int total;
    private final PrintStream out;
    private final long start;
    private boolean drawn;
    private long lastDraw;
    private int done;
    private double loss, accuracy;
    private int width;

    /** {@code out} null: draws nothing (no terminal, or --no-progress). */
    ProgressLine(String task, int total, PrintStream out, long startNanos) {
        this.task = task;
        this.total = Math.max(total, 1);
        this.out = out;
        this.start = startNanos;
    }

    /** Whether standard output is a terminal the bar can redraw in place. */
    static boolean terminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    /** {@code n} more samples done; the running loss and accuracy (a fraction) so far. */
    void step(int n, double loss, double accuracy) {
        done = Math.min(total, done + n);
        this.loss = loss;
        this.accuracy = accuracy;
        if (out == null) return;
        long now = System.nanoTime();
        if (!drawn || now - lastDraw >= REDRAW_NANOS || done == total) {
            drawn = true;
            lastDraw = now;
            String line = render(now);
            width = Math.max(width, line.length());
            out.print("\r" + line);
            out.flush();
        }
    }

    /** The line at time {@code now} (System.nanoTime), without the carriage return. */
    String render(long now) {
        double secs = (now - start) / 1e9;
        int filled = (int) ((long) BAR * done / total);
        StringBuilder bar = new StringBuilder(BAR);
        for (int i = 0; i < BAR; i++) bar.append(i < filled ? '=' : i == filled && done < total ? '>' : ' ');
        int digits = Integer.toString(total).length();
        double rate = secs > 0 && done > 0 ? done / secs : 0;
        String eta = rate > 0 ? clock((total - done) / rate) : "--:--";
        return String.format(Locale.ROOT, "%s [%s] %3d%% %" + digits + "d/%d | loss %.4f  acc %6.2f%% | %6.0f img/s  ETA %5s",
                task, bar, 100L * done / total, done, total, loss, 100 * accuracy, rate, eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Erases the bar, so the next line printed starts at column 0 of a clean line. */
    @Override
    public void close() {
        if (out == null || width == 0) return;
        out.print("\r" + " ".repeat(width) + "\r");
        out.flush();
    }
}
