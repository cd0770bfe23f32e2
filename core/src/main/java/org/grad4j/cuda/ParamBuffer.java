package org.grad4j.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code cuLaunchKernel}'s {@code void** kernelParams} for one launch: each argument's value in its own
 * slot of one native buffer, at an offset aligned to the argument's alignment (8 for pointers, 64-bit
 * integers and doubles, 4 for int and float, the struct's own for a struct passed by value), and an array
 * of pointers to the slots in signature order. The driver copies the values out during the call, so the
 * buffer may be freed when {@code cuLaunchKernel} returns.
 */
final class ParamBuffer {
    /** The pointer array to pass as {@code kernelParams}. */
    final MemorySegment pointers;
    /** The values, each at {@link #offsets}[i]. */
    final MemorySegment values;
    final long[] offsets;

    private ParamBuffer(MemorySegment pointers, MemorySegment values, long[] offsets) {
        this.pointers = pointers;
        this.values = values;
        this.offsets = offsets;
    }

    /** Lays {@code args} out in memory from {@code arena}. */
    static ParamBuffer of(KernelArgs args, Arena arena) {
        List<KernelArgs.Arg> list = args.args();
        long[] offsets = new long[list.size()];
        long end = 0;
        int maxAlign = 8;
        for (int i = 0; i < list.size(); i++) {
            KernelArgs.Arg a = list.get(i);
            offsets[i] = (end + a.align() - 1) / a.align() * a.align();
            end = offsets[i] + a.size();
            maxAlign = Math.max(maxAlign, a.align());
        }
        MemorySegment values = arena.allocate(Math.max(end, 8), maxAlign);
        MemorySegment pointers = arena.allocate(ADDRESS, Math.max(1, list.size()));
        for (int i = 0; i < list.size(); i++) {
            KernelArgs.Arg a = list.get(i);
            long o = offsets[i];
            switch (a.kind()) {
                case PTR, I64, F64 -> values.set(JAVA_LONG, o, a.bits());
                case I32, F32 -> values.set(JAVA_INT, o, (int) a.bits());
                case STRUCT -> MemorySegment.copy(a.struct(), 0, values, JAVA_BYTE, o, a.struct().length);
            }
            pointers.setAtIndex(ADDRESS, i, values.asSlice(o));
        }
        return new ParamBuffer(pointers, values, offsets);
    }
}
