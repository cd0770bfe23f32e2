package org.grad4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.grad4j.TensorFormatter.Kind;
import org.junit.jupiter.api.Test;

/**
 * Expected strings are PyTorch 2.x {@code repr(tensor)} outputs, derived from
 * {@code torch/_tensor_str.py} with Python's own float formatting.
 */
class TensorFormatterTest {

    private static final PrintOptions D = PrintOptions.DEFAULT;

    // ------------------------------------------------------------------ helpers

    /** Float tensor; dtype float32 (default, not printed) unless {@code dtype} is given. */
    private static String f(int[] shape, double[] v, String dtype, String gradFn, boolean req, PrintOptions o) {
        boolean isF32 = dtype == null;
        return TensorFormatter.repr(shape, Kind.FLOATING, i -> v[i], null,
                isF32 ? "torch.float32" : dtype, !isF32, isF32, gradFn, req, o, null);
    }

    private static String f(int[] shape, double... v) {
        return f(shape, v, null, null, false, D);
    }

    private static String f(PrintOptions o, int[] shape, double... v) {
        return f(shape, v, null, null, false, o);
    }

    /** Float32 values as a float tensor holds them: widened from float. */
    private static double[] f32(double... v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }

    /** Integer tensor; int64 (not printed) unless {@code dtype} is given. */
    private static String l(int[] shape, long[] v, String dtype, PrintOptions o) {
        boolean isI64 = dtype == null;
        return TensorFormatter.repr(shape, Kind.INTEGRAL, null, i -> v[i],
                isI64 ? "torch.int64" : dtype, !isI64, false, null, false, o, null);
    }

    private static String l(int[] shape, long... v) {
        return l(shape, v, null, D);
    }

    private static String b(int[] shape, long... v) {
        return TensorFormatter.repr(shape, Kind.BOOL, null, i -> v[i], "torch.bool", false, false, null, false, D, null);
    }

    private static int[] s(int... shape) {
        return shape;
    }

    private static double[] arangeD(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }

    private static long[] arangeL(int n) {
        return IntStream.range(0, n).asLongStream().toArray();
    }

    // ------------------------------------------------------------------ scalars

    @Test
    void scalars() {
        assertEquals("tensor(3., grad_fn=<AddBackward0>)",
                f(s(), new double[] {3}, null, "AddBackward0", true, D));
        assertEquals("tensor(3.)", f(s(), 3));
        assertEquals("tensor(3.5000)", f(s(), 3.5));
        assertEquals("tensor(7)", l(s(), 7));
        assertEquals("tensor(True)", b(s(), 1));
        assertEquals("tensor(False)", b(s(), 0));
        assertEquals("tensor(0.5000, dtype=torch.float64, requires_grad=True)",
                f(s(), new double[] {0.5}, "torch.float64", null, true, D));
        assertEquals("tensor(1.0000e-05)", f(s(), f32(1e-5)));
        // max > 1e8 is strict: 1e8 itself stays in int mode
        assertEquals("tensor(100000000.)", f(s(), 1e8));
        assertEquals("tensor(1.0000e+09)", f(s(), 1e9));
        assertEquals("tensor(-0.)", f(s(), -0.0));
        assertEquals("tensor(nan)", f(s(), Double.NaN));
    }

    // ------------------------------------------------------------------ vectors

    @Test
    void vectors() {
        assertEquals("tensor([1., 2.], requires_grad=True)",
                f(s(2), new double[] {1, 2}, null, null, true, D));
        assertEquals("tensor([2.0480e+02, 2.0480e+03, 2.0480e-01])", f(s(3), f32(204.8, 2048, 0.2048)));
        assertEquals("tensor([0.1000, 0.2000])", f(s(2), f32(0.1, 0.2)));
        assertEquals("tensor([1.5000, 2.0000], dtype=torch.float64)",
                f(s(2), new double[] {1.5, 2.0}, "torch.float64", null, false, D));
        assertEquals("tensor([1, 2], dtype=torch.int32)", l(s(2), new long[] {1, 2}, "torch.int32", D));
        assertEquals("tensor([ True, False])", b(s(2), 1, 0));
        assertEquals("tensor([-1.,  1.,  2.])", f(s(3), -1, 1, 2));
        assertEquals("tensor([nan, inf])", f(s(2), Double.NaN, Double.POSITIVE_INFINITY));
        assertEquals("tensor([1., inf, -inf, nan])",
                f(s(4), 1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN));
        assertEquals("tensor([0., 0.])", f(s(2), 0, 0));
        // zeros do not take part in the width, so "-0." is wider than the rest
        assertEquals("tensor([-0., 1.])", f(s(2), -0.0, 1));
        // ratio > 1000 in int mode switches to sci mode
        assertEquals("tensor([1.0000e+08, 1.0000e+00])", f(s(2), 1e8, 1));
        // non-finite values are right-aligned to the sci width
        assertEquals("tensor([1.0000e-05,        nan, 2.0000e+00])", f(s(3), f32(1e-5, Double.NaN, 2)));
        assertEquals("tensor([1.0000e+100,  1.0000e+00], dtype=torch.float64)",
                f(s(2), new double[] {1e100, 1}, "torch.float64", null, false, D));
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                + "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
                + "        28., 29.])", f(s(30), arangeD(30)));
    }

    // ------------------------------------------------------------------ matrices and higher

    @Test
    void multiDimensional() {
        assertEquals("tensor([[1, 2],\n        [3, 4]])", l(s(2, 2), 1, 2, 3, 4));
        assertEquals("tensor([[3., 3.],\n        [3., 3.]])", f(s(2, 2), 3, 3, 3, 3));
        assertEquals("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<MulBackward0>)",
                f(s(2, 2), new double[] {3, 3, 3, 3}, null, "MulBackward0", true, D));
        assertEquals("tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
                l(s(2, 2, 2), arangeL(8)));
        assertEquals("tensor([[ 1.5410, -0.2934, -2.1788],\n        [ 0.5684, -1.0845, -1.3986]])",
                f(s(2, 3), f32(1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986)));
        assertEquals("tensor([[ True, False],\n        [False,  True]])", b(s(2, 2), 1, 0, 0, 1));
        // a size-1 trailing dimension
        assertEquals("tensor([[1.],\n        [2.]])", f(s(2, 1), 1, 2));
    }

    // ------------------------------------------------------------------ summarization

    @Test
    void summarization() {
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "        1.9990e+03])", f(s(2000), arangeD(2000)));
        assertEquals("tensor([   0,    1,    2,  ...,  998,  999, 1000])", l(s(1001), arangeL(1001)));
        // exactly threshold elements: not summarized
        assertFalse(l(s(1000), arangeL(1000)).contains("..."));
        assertTrue(l(s(1001), arangeL(1001)).contains("..."));
        String row = "[0., 0., 0.,  ..., 0., 0., 0.]";
        assertEquals("tensor([" + row + ",\n        " + row + ",\n        " + row + ",\n        ...,\n        "
                + row + ",\n        " + row + ",\n        " + row + "])", f(s(100, 100), new double[10000]));
        assertEquals("tensor([[ 0,  1,  ...,  8,  9],\n        [10, 11,  ..., 18, 19],\n        ...,\n"
                + "        [80, 81,  ..., 88, 89],\n        [90, 91,  ..., 98, 99]])",
                l(s(10, 10), arangeL(100), null, D.withThreshold(50).withEdgeitems(2)));
        // 3-d summarized: "..." between 2-d blocks is itself surrounded by blank lines
        String block = "[[0., 0., 0.,  ..., 0., 0., 0.],\n         [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "         [0., 0., 0.,  ..., 0., 0., 0.],\n         ...,\n"
                + "         [0., 0., 0.,  ..., 0., 0., 0.],\n         [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "         [0., 0., 0.,  ..., 0., 0., 0.]]";
        String sep = ",\n\n        ";
        assertEquals("tensor([" + block + sep + block + sep + block + sep + "..." + sep + block + sep + block
                + sep + block + "])", f(s(20, 20, 20), new double[8000]));
        // the torch docstring shows "2, ..., 7" but the code joins " ..." with ", "
        assertEquals("tensor([0, 1, 2,  ..., 7, 8, 9])", l(s(10), arangeL(10), null, D.withThreshold(5)));
        // the formatter only sees the summarized data: a hidden 1e6 does not force sci mode
        double[] ones = new double[2000];
        Arrays.fill(ones, 1);
        ones[1000] = 1e6;
        assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.])", f(s(2000), ones));
        double[] small = new double[2000];
        small[1000] = 1e6; // hidden: width stays that of "0."
        assertEquals("tensor([0., 0., 0.,  ..., 0., 0., 0.])", f(s(2000), small));
    }

    @Test
    void edgeitemsZero() {
        PrintOptions o = D.withEdgeitems(0);
        // edgeitems == 0 always adds a size suffix, even when nothing is summarized
        assertEquals("tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], size=(10,))", l(s(10), arangeL(10), null, o));
        assertEquals("tensor([...], size=(10,))", l(s(10), arangeL(10), null, o.withThreshold(5)));
        assertEquals("tensor([...], size=(4, 4))", f(o.withThreshold(5), s(4, 4), arangeD(16)));
    }

    // ------------------------------------------------------------------ empty tensors

    @Test
    void emptyTensors() {
        assertEquals("tensor([])", f(s(0)));
        assertEquals("tensor([], size=(0, 3))", f(s(0, 3)));
        assertEquals("tensor([], dtype=torch.float64)", f(s(0), new double[0], "torch.float64", null, false, D));
        // int64 and bool are printed for empty tensors although they are default dtypes
        assertEquals("tensor([], dtype=torch.int64)", l(s(0)));
        assertEquals("tensor([], size=(2, 0, 4), dtype=torch.bool)", b(s(2, 0, 4)));
        assertEquals("tensor([], requires_grad=True)", f(s(0), new double[0], null, null, true, D));
    }

    // ------------------------------------------------------------------ suffix wrapping and options

    @Test
    void suffixWrapping() {
        assertEquals("tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000],\n"
                + "       grad_fn=<MulBackward0>)",
                f(s(8), f32(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8), null, "MulBackward0", true, D));
        // once wrapped, later suffixes continue on the new line
        assertEquals("tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000],\n"
                + "       dtype=torch.float64, requires_grad=True)",
                f(s(8), new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, "torch.float64", null, true, D));
        // PyTorch's last-line estimate is 2 more than the real length, so a suffix that would end the
        // line exactly at column 78 is still wrapped when linewidth is 78
        String longFn = "X".repeat(50);
        assertEquals("tensor([1., 2.],\n       grad_fn=<" + longFn + ">)",
                f(s(2), new double[] {1, 2}, null, longFn, false, D.withLinewidth(78)));
        assertEquals("tensor([1., 2.], grad_fn=<" + longFn + ">)",
                f(s(2), new double[] {1, 2}, null, longFn, false, D.withLinewidth(79)));
        assertEquals("x, a,\n  bb)", TensorFormatter.addSuffixes("x", List.of("a", "bb"), 2, false, 8));
    }

    @Test
    void optionsAffectFormatting() {
        assertEquals("tensor([1.12])", f(PrintOptions.profile("short"), s(1), f32(1.12345)));
        assertEquals("tensor([1.1235])", f(s(1), f32(1.12345)));
        // Python rounds the exact binary value half-to-even: 0.125 -> 0.12, 0.375 -> 0.38
        assertEquals("tensor([0.12, 0.38], dtype=torch.float64)",
                f(s(2), new double[] {0.125, 0.375}, "torch.float64", null, false, D.withPrecision(2)));
        assertEquals("tensor([1.0000e+00, 2.0000e+00])", f(D.withSciMode(true), s(2), 1, 2));
        assertEquals("tensor(0.0000)", f(D.withSciMode(false), s(), f32(1e-5)));
        assertEquals("tensor([100000000000000000000.,                     1.])",
                f(D.withSciMode(false), s(2), 1e20, 1));
        // sci_mode is not applied when there is no nonzero finite value
        assertEquals("tensor([0., nan])", f(D.withSciMode(true), s(2), 0, Double.NaN));
        // at least one element per line even when the line width is tiny
        assertEquals("tensor([0.5000,\n        1.5000,\n        2.5000,\n        3.5000,\n        4.5000])",
                f(D.withLinewidth(10), s(5), 0.5, 1.5, 2.5, 3.5, 4.5));
        assertEquals("tensor([1, 2, 3])", l(s(3), new long[] {1, 2, 3}, null, PrintOptions.profile("full")));
    }

    @Test
    void globalOptionsAreUsedByShortOverload() {
        PrintOptions previous = PrintOptions.set(D.withPrecision(1));
        try {
            assertEquals("tensor([0.1, 0.2])",
                    TensorFormatter.repr(s(2), Kind.FLOATING, i -> 0.1 * (i + 1), null, "torch.float32",
                            false, true, null, false));
        } finally {
            PrintOptions.set(previous);
        }
        assertEquals("tensor([0.1000, 0.2000])",
                TensorFormatter.repr(s(2), Kind.FLOATING, i -> 0.1 * (i + 1), null, "torch.float32",
                        false, true, null, false, PrintOptions.get(), null));
    }

    // ------------------------------------------------------------------ Python float formatting

    @Test
    void pythonFloatFormatting() {
        assertEquals("0.1000", TensorFormatter.formatFixed(0.1, 4));
        assertEquals("2.67", TensorFormatter.formatFixed(2.675, 2)); // binary value is below 2.675
        assertEquals("2", TensorFormatter.formatFixed(2.5, 0));
        assertEquals("4", TensorFormatter.formatFixed(3.5, 0));
        assertEquals("-0.0000", TensorFormatter.formatFixed(-0.00001, 4));
        assertEquals("-0", TensorFormatter.formatFixed(-0.0, 0));
        assertEquals("1.2345e-04", TensorFormatter.formatSci(0.00012345, 4));
        assertEquals("1e+00", TensorFormatter.formatSci(1.0, 0));
        assertEquals("1.0000e+100", TensorFormatter.formatSci(1e100, 4));
        assertEquals("0.0000e+00", TensorFormatter.formatSci(0.0, 4));
        assertEquals("-0.0000e+00", TensorFormatter.formatSci(-0.0, 4));
        assertEquals("9.9999e+04", TensorFormatter.formatSci(99999.0, 4));
        assertEquals("1.0000e+05", TensorFormatter.formatSci(99999.5, 4));
        assertEquals("4.9407e-324", TensorFormatter.formatSci(Double.MIN_VALUE, 4));
        assertEquals("-inf", TensorFormatter.formatSci(Double.NEGATIVE_INFINITY, 4));
        assertEquals("nan", TensorFormatter.formatFixed(Double.NaN, 4));
        assertEquals("(0, 3)", TensorFormatter.pythonTuple(s(0, 3)));
        assertEquals("(5,)", TensorFormatter.pythonTuple(s(5)));
        assertEquals("()", TensorFormatter.pythonTuple(s()));
    }

    // ------------------------------------------------------------------ PrintOptions

    @Test
    void printOptions() {
        assertEquals(new PrintOptions(4, 1000, 3, 80, null), PrintOptions.DEFAULT);
        assertSame(PrintOptions.DEFAULT, PrintOptions.profile("default"));
        assertEquals(new PrintOptions(2, 1000, 2, 80, null), PrintOptions.profile("short"));
        assertEquals(new PrintOptions(4, Integer.MAX_VALUE, 3, 80, null), PrintOptions.profile("full"));
        assertThrows(IllegalArgumentException.class, () -> PrintOptions.profile("long"));
        assertThrows(IllegalArgumentException.class, () -> D.withPrecision(-1));
        assertThrows(IllegalArgumentException.class, () -> D.withEdgeitems(-1));
        assertThrows(NullPointerException.class, () -> PrintOptions.set(null));
        PrintOptions o = D.withPrecision(6).withThreshold(10).withEdgeitems(1).withLinewidth(100).withSciMode(false);
        assertEquals(new PrintOptions(6, 10, 1, 100, false), o);
        assertNull(o.withSciMode(null).sciMode());
    }
}
