package org.grad4j.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/** cuLaunchKernel's kernelParams built from KernelArgs, read back without a driver. */
class ParamBufferTest {
    @Test
    void eachValueSitsInItsOwnAlignedSlotAndThePointerArrayPointsAtTheSlots() {
        byte[] affine = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putFloat(2f).putFloat(-1f).putInt(7).array();
        KernelArgs args = new KernelArgs().ptr(0x7f00_1234_5678L).i32(-3).f64(Math.PI).f32(1.5f).struct(affine, 4).i64(1L << 40)
                .struct(new byte[]{1, 2, 3}, 16);
        try (Arena arena = Arena.ofConfined()) {
            ParamBuffer p = ParamBuffer.of(args, arena);
            // ptr 0..8, i32 8..12, f64 aligned to 16, f32 at 24, struct (align 4) at 28..40, i64 at 40, struct (align 16) at 48
            assertArrayEquals(new long[]{0, 8, 16, 24, 28, 40, 48}, p.offsets);
            MemorySegment v = p.values;
            assertEquals(0, v.address() % 16, "the buffer is aligned to the largest argument alignment");
            assertEquals(0x7f00_1234_5678L, v.get(JAVA_LONG, 0));
            assertEquals(-3, v.get(JAVA_INT, 8));
            assertEquals(Math.PI, v.get(JAVA_DOUBLE, 16));
            assertEquals(1.5f, v.get(JAVA_FLOAT, 24));
            assertEquals(2f, v.get(JAVA_FLOAT, 28));
            assertEquals(-1f, v.get(JAVA_FLOAT, 32));
            assertEquals(7, v.get(JAVA_INT, 36));
            assertEquals(1L << 40, v.get(JAVA_LONG, 40));
            assertEquals(3, v.get(JAVA_BYTE, 50));
            for (int i = 0; i < p.offsets.length; i++) {
                assertEquals(v.address() + p.offsets[i], p.pointers.getAtIndex(ADDRESS, i).address(), "kernelParams[" + i + "]");
            }
        }
    }

    @Test
    void floatAndDoubleArgumentsKeepTheirExactBitsIncludingNaNPayloads() {
        float nan = Float.intBitsToFloat(0x7fc0_0123);
        KernelArgs args = new KernelArgs().f32(nan).f64(-0.0);
        try (Arena arena = Arena.ofConfined()) {
            ParamBuffer p = ParamBuffer.of(args, arena);
            assertEquals(0x7fc0_0123, p.values.get(JAVA_INT, 0));
            assertEquals(Double.doubleToRawLongBits(-0.0), p.values.get(JAVA_LONG, 8));
        }
    }

    @Test
    void aLaunchWithoutArgumentsStillPassesAValidPointerArray() {
        try (Arena arena = Arena.ofConfined()) {
            ParamBuffer p = ParamBuffer.of(new KernelArgs(), arena);
            assertEquals(0, p.offsets.length);
            assertNotEquals(0, p.pointers.address());
        }
    }

    @Test
    void aMissingKernelImageIsAClearErrorNamingTheResource() {
        if (Kernels.class.getResource(Kernels.RESOURCE) != null) return;   // the kernels' build put it there: nothing to check
        CudaException e = assertThrows(CudaException.class, Kernels::image);
        assertTrue(e.getMessage().contains("grad4j_kernels.fatbin") && e.getMessage().contains("Fix:"), e.getMessage());
    }
}
