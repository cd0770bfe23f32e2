package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.kernels.BinaryOp;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.UnaryOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Every launch the catalog plans matches the compiled PTX's .entry signature, and every entry is planned. */
class KernelCatalogTest {
    static Map<String, List<PtxEntries.Param>> entries;

    @BeforeAll
    static void load() throws IOException { entries = PtxEntries.parse(PtxEntries.committedPtx()); }

    static final DType[] ALL = DType.values();
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    static final long P = 0x7f00_0000_1000L, Q = 0x7f00_0000_2000L, R = 0x7f00_0000_3000L, S = 0x7f00_0000_4000L;

    static DeviceView v(DType t, int... shape) { return DeviceView.contiguous(P, t, shape); }

    /** One launch of every kernel family for every dtype it supports. */
    static List<KernelLaunch> everyLaunch() {
        List<KernelLaunch> out = new ArrayList<>();
        Window2d w = new Window2d(3, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8, 8, true, 0);
        for (DType s : ALL) for (DType d : ALL) out.add(KernelCatalog.copy(v(d, 2, 3), v(s, 2, 3)));
        for (DType t : ALL) {
            out.add(KernelCatalog.fill(v(t, 4), 1.5));
            out.add(KernelCatalog.binary(BinaryOp.EQ, v(DType.BOOL, 4), v(t, 4), v(t, 4), 0));
            out.add(KernelCatalog.where(v(t, 4), v(DType.BOOL, 4), v(t, 4), v(t, 4)));
            if (t != DType.BOOL) {
                out.add(KernelCatalog.unary(UnaryOp.NEG, v(t, 4), v(t, 4), S));
                out.add(KernelCatalog.clamp(v(t, 4), v(t, 4), 0, 1));
                out.add(KernelCatalog.binary(BinaryOp.ADD, v(t, 4), v(t, 4), v(t, 4), S));
                out.add(KernelCatalog.binary(BinaryOp.POW, v(t, 4), v(t, 4), v(t, 4), S));
            } else {
                out.add(KernelCatalog.binary(BinaryOp.ADD, v(t, 4), v(t, 4), v(t, 4), S));
            }
            for (ReduceKernels.Kind k : ReduceKernels.Kind.values()) {
                boolean logical = k == ReduceKernels.Kind.ALL || k == ReduceKernels.Kind.ANY;
                if ((t == DType.BOOL) == logical) out.addAll(KernelCatalog.reduce(k, v(t, 4, 5), new boolean[]{false, true}, Q, R, 1));
            }
        }
        out.add(KernelCatalog.fillLong(v(DType.INT64, 4), Long.MAX_VALUE));
        for (DType t : FLOATS) {
            out.add(KernelCatalog.reduce(ReduceKernels.Kind.SUM, v(t, 4, 5), new boolean[]{true, true}, Q, R, 0.05).get(1));
            out.add(KernelCatalog.axpy(t, P, Q, 10, 2));
            out.add(KernelCatalog.scale(t, P, 10, 0.5));
            out.add(KernelCatalog.softmax(t, P, Q, 4, 10, false));
            out.add(KernelCatalog.softmax(t, P, Q, 4, 10, true));
            out.add(KernelCatalog.gemm(t, P, Q, R, 4, 5, 6, 6, 5, 5, 24, 30, 20, 2, false, true, 1, 0));
            out.add(KernelCatalog.im2col(t, P, Q, w, 2));
            out.add(KernelCatalog.col2im(t, P, Q, w, 2));
            out.add(KernelCatalog.maxPool2d(t, P, Q, R, w, 6));
            out.add(KernelCatalog.maxPool2dBackward(t, P, Q, R, w, 6));
            out.add(KernelCatalog.avgPool2d(t, P, Q, w, 6));
            out.add(KernelCatalog.avgPool2dBackward(t, P, Q, w, 6));
            out.add(KernelCatalog.thresholdBackward(t, P, Q, R, 10, 0, 0));
            out.add(KernelCatalog.batchNormStats(t, P, Q, R, 2, 3, 16));
            out.add(KernelCatalog.uniform(t, P, 10, 42, 0, 0, 1));
            out.add(KernelCatalog.normal(t, P, 10, 42, 0, 0, 1));
        }
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32})
            out.add(KernelCatalog.indexSelect(t, P, Q, R, 1, 10, 4, 3, S));
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            out.add(KernelCatalog.indexAdd(t, P, Q, R, 1, 10, 4, 3, S));
            out.add(KernelCatalog.gather(v(t, 2, 3), v(t, 2, 5), v(DType.INT64, 2, 3), 1, S));
            out.add(KernelCatalog.scatterAdd(v(t, 2, 5), v(DType.INT64, 2, 3), v(t, 2, 3), 1, S));
        }
        return out;
    }

    @Test
    void everyLaunchMatchesItsPtxEntrySignature() {
        for (KernelLaunch l : everyLaunch()) {
            List<PtxEntries.Param> ps = entries.get(l.name());
            assertNotNull(ps, "no .entry " + l.name() + " in grad4j_kernels.ptx");
            List<KernelArgs.Arg> as = l.args().args();
            assertEquals(ps.size(), as.size(), l.name() + ": parameter count");
            for (int i = 0; i < ps.size(); i++) assertMatches(l.name() + " param " + i, ps.get(i), as.get(i));
        }
    }

    static void assertMatches(String where, PtxEntries.Param p, KernelArgs.Arg a) {
        switch (a.kind()) {
            case PTR -> assertTrue(p.type().equals(".u64") && p.pointer(), where + ": expected a pointer, PTX has " + p);
            case I64 -> assertTrue((p.type().equals(".u64") || p.type().equals(".s64")) && !p.pointer(), where + ": expected a 64-bit integer, PTX has " + p);
            case I32 -> assertTrue(p.type().equals(".u32") || p.type().equals(".s32"), where + ": expected a 32-bit integer, PTX has " + p);
            case F32 -> assertEquals(".f32", p.type(), where);
            case F64 -> assertEquals(".f64", p.type(), where);
            case STRUCT -> {
                assertEquals(".b8", p.type(), where + ": expected a by-value struct");
                assertEquals(p.size(), a.size(), where + ": struct size");
                assertEquals(p.align(), a.align(), where + ": struct alignment");
            }
        }
    }

    @Test
    void everyPtxEntryIsReachableFromTheCatalog() {
        TreeSet<String> missing = new TreeSet<>(entries.keySet());
        for (KernelLaunch l : everyLaunch()) missing.remove(l.name());
        assertTrue(missing.isEmpty(), "kernels no catalog method launches: " + missing);
        assertTrue(entries.size() > 150, "parsed only " + entries.size() + " entries");
    }

    @Test
    void gridCoversEveryElementAndStaysWithinTheLimit() {
        assertEquals(0, KernelCatalog.grid(0));
        assertEquals(1, KernelCatalog.grid(1));
        assertEquals(1, KernelCatalog.grid(256));
        assertEquals(2, KernelCatalog.grid(257));
        assertEquals(KernelCatalog.MAX_GRID, KernelCatalog.grid((long) KernelCatalog.MAX_GRID * 256));
        assertEquals(KernelCatalog.MAX_GRID, KernelCatalog.grid(Long.MAX_VALUE));
        assertEquals(KernelCatalog.MAX_GRID, KernelCatalog.gridPerBlock(Integer.MAX_VALUE + 10L));
        assertThrows(IllegalArgumentException.class, () -> KernelCatalog.grid(-1));
        assertTrue(KernelCatalog.fill(v(DType.FLOAT32, 0, 5), 1).isEmpty(), "an empty tensor launches nothing");
        assertTrue(KernelCatalog.softmax(DType.FLOAT32, P, Q, 3, 0, false).isEmpty());
    }

    @Test
    void reducePlanSplitsFewOutputsIntoChunksThatCoverTheReducedRange() {
        for (long keep : new long[]{1, 3, 1000, 5000})
            for (long red : new long[]{0, 1, 4095, 4097, 1 << 20, 268_435_456L}) {
                KernelCatalog.ReducePlan p = KernelCatalog.plan(keep, red);
                assertTrue(p.chunk() * p.chunks() >= red && p.chunk() * (p.chunks() - 1) < Math.max(red, 1), keep + "x" + red + ": " + p);
                if (keep >= KernelCatalog.TARGET_BLOCKS) assertEquals(1, p.chunks());
            }
        KernelCatalog.ReducePlan all = KernelCatalog.plan(1, 268_435_456L);
        assertEquals(1024, all.chunks(), "a 256M-element sum uses 1024 blocks");
    }

    @Test
    void binaryRejectsMixedDtypesNamingOpDtypesAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelCatalog.binary(BinaryOp.ADD, v(DType.FLOAT32, 4), v(DType.FLOAT32, 4), v(DType.FLOAT64, 4), 0));
        assertTrue(e.getMessage().contains("binary ADD") && e.getMessage().contains("torch.float64") && e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void floatOnlyKernelsRejectIntegersNamingTheDtype() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelCatalog.softmax(DType.INT64, P, Q, 1, 1, false));
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("torch.int64") && e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void moreThanEightNonMergeableDimsRaiseWithAFix() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1024, 256, 64, 16, 4, 1, 2048, 4096, 8192};   // no two neighbours merge
        DeviceView x = new DeviceView(P, 0, shape, strides, DType.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelCatalog.unary(UnaryOp.EXP, DeviceView.contiguous(Q, DType.FLOAT32, shape), x, 0));
        assertTrue(e.getMessage().contains("at most 8") && e.getMessage().contains(".contiguous()"), e.getMessage());
        // contiguous 9-d tensors coalesce to one dim and are fine
        assertEquals("g4_unary_f32", KernelCatalog.unary(UnaryOp.EXP, v(DType.FLOAT32, shape), v(DType.FLOAT32, shape), 0).name());
    }

    @Test
    void comparisonPicksTheOperandDtypeKernelAndWritesBool() {
        KernelLaunch l = KernelCatalog.binary(BinaryOp.LT, v(DType.BOOL, 3), v(DType.INT32, 3), v(DType.INT32, 3), 0);
        assertEquals("g4_compare_i32", l.name());
        assertEquals(BinaryOp.LT.ordinal(), (int) l.args().args().get(7).bits());
        assertThrows(IllegalArgumentException.class,
                () -> KernelCatalog.binary(BinaryOp.LT, v(DType.INT32, 3), v(DType.INT32, 3), v(DType.INT32, 3), 0));
    }

    @Test
    void gemmGridCountsOneBlockPerSixteenBySixteenTilePerBatch() {
        KernelLaunch l = KernelCatalog.gemm(DType.FLOAT32, P, Q, R, 33, 17, 5, 5, 17, 17, 0, 0, 0, 3, false, false, 1, 0);
        assertEquals(3 * 3 * 2, l.gridX());
        assertEquals(Float.floatToRawIntBits(1f), (int) l.args().args().get(15).bits());
    }
}
