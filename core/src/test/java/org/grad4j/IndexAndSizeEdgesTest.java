package org.grad4j;

import org.grad4j.nn.functional.F;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negative and out-of-range indices raise PyTorch's message when the forward runs (they used to
 * wrap silently in gather / index_select / embedding...), and sizes that overflow one Java array
 * name the op, the size asked and the limit. Messages checked against libtorch 2.5.1.
 */
class IndexAndSizeEdgesTest {
    private static final Tensor X = tensor(new double[]{1, 2, 3}, DType.FLOAT64);

    private static void raises(Class<? extends Throwable> type, String fragment, Executable e) {
        Throwable t = assertThrows(type, e);
        assertTrue(t.getMessage().contains(fragment), t.getMessage());
        assertTrue(t.getMessage().contains("Fix:"), t.getMessage());
    }

    private static Tensor idx(long v) { return tensor(new long[]{v}); }

    @Test
    void scatterIntoAZeroDimSelfWorksAsOnItsOneElementView() {
        // PyTorch: torch.tensor(1.).scatter_add(0, torch.tensor(0), torch.tensor(2.)) == tensor(3.); was an AIOOBE
        Tensor self = tensor(1.0).to(DType.FLOAT64), at = tensor(0L), src = tensor(2.0).to(DType.FLOAT64);
        assertEquals(3.0, self.scatterAdd(0, at, src).item(), 0.0);
        assertEquals(2.0, self.scatter(0, at, src).item(), 0.0);
        assertEquals(0, self.scatterAdd(0, at, src).dim());
        assertEquals(2.0, self.scatterReduce(0, at, src, "amax", true).item(), 0.0);
        raises(IndexOutOfBoundsException.class, "out of bounds", () -> self.scatterAdd(0, tensor(1L), src));
        Tensor leaf = tensor(1.0).to(DType.FLOAT64).requiresGrad_(true), s2 = tensor(2.0).to(DType.FLOAT64).requiresGrad_(true);
        assertTrue(org.grad4j.autograd.GradCheck.gradcheck(in -> in[0].scatterAdd(0, at, in[1]), leaf, s2));
    }

    @Test
    void gatherAndScatterFamilyRejectNegativeIndicesInsteadOfWrapping() {
        for (long bad : new long[]{-1, 3, -4}) {
            String msg = "index " + bad + " is out of bounds for dimension 0 with size 3";
            raises(IndexOutOfBoundsException.class, "gather(): " + msg, () -> X.gather(0, idx(bad)));
            raises(IndexOutOfBoundsException.class, "scatter(): " + msg, () -> X.scatter(0, idx(bad), tensor(new double[]{9}, DType.FLOAT64)));
            raises(IndexOutOfBoundsException.class, "scatter(): " + msg, () -> X.scatter(0, idx(bad), 9.0));
            raises(IndexOutOfBoundsException.class, "scatter_add(): " + msg,
                    () -> X.scatterAdd(0, idx(bad), tensor(new double[]{9}, DType.FLOAT64)));
            raises(IndexOutOfBoundsException.class, "scatter_reduce(): " + msg,
                    () -> X.scatterReduce(0, idx(bad), tensor(new double[]{9}, DType.FLOAT64), "amax", true));
        }
    }

    @Test
    void indexSelectIndexAddAndEmbeddingRejectNegativeIndicesInsteadOfWrapping() {
        Tensor w = ones(3, 2);
        for (long bad : new long[]{-1, 3}) {
            raises(IndexOutOfBoundsException.class, "index_select(): index out of range in self", () -> X.indexSelect(0, idx(bad)));
            raises(IndexOutOfBoundsException.class, "index_add(): index out of range in self",
                    () -> X.indexAdd(0, idx(bad), tensor(new double[]{9}, DType.FLOAT64)));
            raises(IndexOutOfBoundsException.class, "embedding(): index out of range in self", () -> F.embedding(idx(bad), w));
            raises(IndexOutOfBoundsException.class, "embedding(): index out of range in self",
                    () -> new org.grad4j.nn.Embedding(3, 2).call(tensor(new long[][]{{0, bad}})));
        }
    }

    @Test
    void takeAndAdvancedIndexingCountNegativeIndicesFromTheEndOnce() {
        assertArrayEquals(new double[]{3, 1}, X.take(tensor(new long[]{-1, -3})).toDoubleArray(), 0);
        assertArrayEquals(new double[]{3}, X.index(idx(-1)).toDoubleArray(), 0);
        assertArrayEquals(new double[]{1, 2, 13}, X.indexPut(new Tensor[]{tensor(new long[]{-1, -1})},
                tensor(new double[]{9, 1}, DType.FLOAT64), true).toDoubleArray(), 0);
        raises(IndexOutOfBoundsException.class, "take(): out of range: tried to access index -4 on a tensor of 3 elements",
                () -> X.take(idx(-4)));
        raises(IndexOutOfBoundsException.class, "tried to access index 3", () -> X.take(idx(3)));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> X.index(idx(-4)));
        assertEquals("index -4 is out of bounds for dimension 0 with size 3", e.getMessage());
    }

    @Test
    void narrowOutsideTheDimensionRaisesInsteadOfClipping() {
        raises(IndexOutOfBoundsException.class, "start (3) + length (1) exceeds dimension size (3)", () -> X.narrow(0, 3, 1));
        raises(IndexOutOfBoundsException.class, "start (2) + length (2) exceeds dimension size (3)", () -> X.narrow(0, 2, 2));
        raises(IndexOutOfBoundsException.class, "start out of range (expected to be in range of [-3, 3], but got -4)", () -> X.narrow(0, -4, 1));
        raises(IllegalArgumentException.class, "narrow(): length must be non-negative.", () -> X.narrow(0, 0, -1));
        assertArrayEquals(new double[]{3}, X.narrow(0, -1, 1).toDoubleArray(), 0);
        assertEquals(0, X.narrow(0, 3, 0).numel());
    }

    @Test
    void oneHotRejectsNegativeNumClassesOtherThanMinusOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.oneHot(tensor(new long[]{1}), -2));
        assertTrue(e.getMessage().contains("Class values must be smaller than num_classes."), e.getMessage());
        assertArrayEquals(new long[]{0, 1}, F.oneHot(tensor(new long[]{1}), -1).toLongArray());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.oneHot(tensor(new long[]{-1}), 3)).getMessage()
                .contains("Class values must be non-negative."));
    }

    @Test
    void bincountOfAHugeValueSaysTheSizeDoesNotFitNotNegativeDimension() {
        raises(IllegalArgumentException.class, "bincount: a dimension of size 3000000001 is too large",
                () -> tensor(new long[]{3_000_000_000L}).bincount(0));
        raises(IllegalArgumentException.class, "2147483639 (2^31-9) elements", () -> tensor(new long[]{3_000_000_000L}).bincount(0));
    }

    @Test
    void arangeOfThreeBillionSaysTheSizeDoesNotFitNotIntegerOverflow() {
        raises(IllegalArgumentException.class, "arange: a range of 3000000000 elements (start 0, end 3000000000, step 1) is too large",
                () -> arange(0, 3_000_000_000L, 1));
        raises(IllegalArgumentException.class, "arange: a range of 3000000000 elements", () -> arange(0.0, 3e9, 1.0));
        raises(IllegalArgumentException.class, "upper bound and larger bound inconsistent with step sign", () -> arange(0, -5, 1));
        raises(IllegalArgumentException.class, "unsupported range: 0.0 -> NaN", () -> arange(0, Double.NaN, 1.0));
        assertArrayEquals(new long[]{Long.MAX_VALUE - 3, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1},
                arange(Long.MAX_VALUE - 3, Long.MAX_VALUE, 1).toLongArray(), "end - start may not overflow");
        assertArrayEquals(new long[]{Long.MIN_VALUE, -1, Long.MAX_VALUE - 1}, arange(Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE).toLongArray());
        assertArrayEquals(new long[]{5, 3, 1}, arange(5, 0, -2).toLongArray());
    }

    @Test
    void creationOpsWithHugeShapesNameTheOpAndTheLimit() {
        raises(IllegalArgumentException.class, "zeros: shape [65536, 65536] (4294967296 elements) is too large", () -> zeros(1 << 16, 1 << 16));
        raises(IllegalArgumentException.class, "full: shape [65536, 65536]", () -> full(new int[]{1 << 16, 1 << 16}, 2.0));
        raises(IllegalArgumentException.class, "randn: shape", () -> randn(1 << 16, 1 << 16));
        raises(IllegalArgumentException.class, "rand: shape", () -> rand(1 << 16, 1 << 16));
        raises(IllegalArgumentException.class, "eye: shape [65536, 65536]", () -> eye(1 << 16));
        raises(IllegalArgumentException.class, "linspace: a dimension of size 2147483647 is too large", () -> linspace(0, 1, Integer.MAX_VALUE));
        raises(IllegalArgumentException.class, "one_hot: a dimension of size 2147483647", () -> F.oneHot(tensor(new long[]{1, 2}), Integer.MAX_VALUE));
    }

    @Test
    void repeatWhoseSizeOverflowsAnIntRaisesInsteadOfWrapping() {
        // 65536 * 65536 wraps to 0 in int arithmetic
        raises(IllegalArgumentException.class, "repeat: a dimension of size 4294967296", () -> ones(1 << 16).repeat(1 << 16));
        raises(IllegalArgumentException.class, "repeat: shape [65536, 65536]", () -> ones(1, 1 << 16).repeat(1 << 16, 1));
        raises(IllegalArgumentException.class, "negative dimension -1", () -> ones(2).repeat(-1));
    }

    @Test
    void scatterWithASourceSmallerThanTheIndexSaysSoAndEmbeddingChecksPaddingIdx() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> X.scatter(0, tensor(new long[]{0, 1}), tensor(new double[]{5}, DType.FLOAT64)));
        assertTrue(e.getMessage().startsWith("scatter(): Expected index [2] to be smaller size than src [1]"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> X.scatterReduce(0, tensor(new long[]{0, 1}),
                tensor(new double[]{5}, DType.FLOAT64), "sum", true)).getMessage().startsWith("scatter_reduce(): Expected index [2]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.embedding(idx(1), ones(3, 2), 5)).getMessage()
                .startsWith("Padding_idx must be within num_embeddings"));
        Tensor w = ones(3, 2).requiresGrad_();
        F.embedding(tensor(new long[]{2, 0}), w, -1).sum().backward();   // -1 counts from the end: row 2 is padding
        assertArrayEquals(new double[]{1, 1, 0, 0, 0, 0}, w.grad().toDoubleArray(), 0);
    }
}
