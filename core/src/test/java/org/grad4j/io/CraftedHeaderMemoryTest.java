package org.grad4j.io;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crafted safetensors headers under the 100 MB cap must not cost many times their size while
 * being parsed (a JSON tree of boxed values once took 10-15x). Measured as the bytes the reading
 * thread allocates, which bounds what it can hold at once.
 */
class CraftedHeaderMemoryTest {
    /** A file of just a header (padded to 8) built from {@code body}, which must make the JSON object. */
    static byte[] file(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        while (b.hasRemaining()) b.put((byte) ' ');
        return b.array();
    }

    /** {@code unit} repeated to about {@code bytes} characters, comma-separated. */
    static String repeat(String unit, int bytes) {
        int n = Math.max(1, bytes / (unit.length() + 1));
        return (unit + ",").repeat(n - 1) + unit;
    }

    static long allocatedBy(Runnable r) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    static long parse(byte[] f) {
        return allocatedBy(() -> {
            try {
                SafeTensors.deserialize(f);
            } catch (SafeTensorsFormatException expected) {
                // rejected is fine: what it cost to get there is what this measures
            }
        });
    }

    @Test
    void craftedHeadersCostAtMostAFewTimesTheirSizeToParse() {
        int size = 4 << 20;      // 4 MB each: the ratio, not the size, is what a 100 MB header multiplies
        String[] crafted = {
                // empty arrays / objects / strings / numbers where a metadata string belongs: were lists, maps, Strings, Longs
                "{\"__metadata__\":{\"a\":[" + repeat("[]", size) + "]}}",
                "{\"__metadata__\":{\"a\":[" + repeat("{}", size) + "]}}",
                "{\"t\":[" + repeat("\"\"", size) + "]}",
                "{\"t\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":[" + repeat("1000", size) + "]}}",
                // a shape of many numbers
                "{\"t\":{\"dtype\":\"U8\",\"shape\":[" + repeat("1", size) + "],\"data_offsets\":[0,0]}}",
                // as many tiny metadata entries as fit
                "{\"__metadata__\":{" + numbered(i -> "\"" + i + "\":\"\"", size) + "}}",
        };
        for (String json : crafted) {
            byte[] f = file(json);
            long bytes = parse(f);
            System.out.println("CraftedHeaderMemoryTest: " + json.substring(0, 30) + "... " + f.length + " bytes -> allocated " + bytes);
            assertTrue(bytes < 4L * f.length, "parsing " + json.substring(0, 40) + "... (" + f.length + " bytes) allocated "
                    + bytes + " bytes (" + bytes / f.length + "x)");
        }
    }

    @Test
    void eachTensorAHeaderListsCostsAFixedAmountAndTheirNumberIsCapped() throws Exception {
        // the cheapest valid entries: empty tensors; the result holds them all
        int n = 1 << 15;
        IntFunction<String> empty = i -> "\"" + i + "\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}";
        byte[] f = file("{" + numbered(empty, n) + "}");
        int[] count = new int[1];
        long bytes = allocatedBy(() -> {
            try {
                count[0] = SafeTensors.deserialize(f).tensors().size();
            } catch (SafeTensorsFormatException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(n, count[0]);
        long perTensor = (bytes - 2L * f.length) / n;
        System.out.println("CraftedHeaderMemoryTest: " + f.length + "-byte header of " + n + " empty tensors allocated " + bytes
                + " bytes (" + perTensor + " per tensor beyond 2x the header)");
        assertTrue(perTensor < 1500, perTensor + " bytes per tensor");
        // one more than the cap is refused while parsing, before any tensor is made
        byte[] over = file("{" + numbered(empty, SafeTensorsHeader.MAX_TENSORS + 1) + "}");
        var e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.deserialize(over));
        assertTrue(e.getMessage().contains("more than " + SafeTensorsHeader.MAX_TENSORS + " tensors"), e.getMessage());
    }

    /** {@code count} items (or as many as fit in {@code count} bytes when count is large) joined by commas. */
    static String numbered(IntFunction<String> item, int count) {
        StringBuilder sb = new StringBuilder();
        int n = count > SafeTensorsHeader.MAX_TENSORS + 1 ? 0 : count;
        if (n > 0) {
            for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append(item.apply(i));
        } else {
            for (int i = 0; sb.length() < count; i++) sb.append(i > 0 ? "," : "").append(item.apply(i));
        }
        return sb.toString();
    }
}
