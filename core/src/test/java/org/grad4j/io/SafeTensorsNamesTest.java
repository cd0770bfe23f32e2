package org.grad4j.io;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Names and metadata must reach the file unchanged, or the save fails naming the key. */
class SafeTensorsNamesTest {
    @TempDir
    Path tmp;

    private static void rejected(Map<String, Tensor> tensors, Map<String, String> meta, String... fragments) {
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.serialize(tensors, meta));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void tensorNamesWithAnUnpairedSurrogateAreRejectedNotWrittenAsQuestionMarks() throws Exception {
        Map<String, Tensor> two = new LinkedHashMap<>();
        two.put("w\uD800", Grad4j.ones(1));     // both were written as "w?": a duplicate key nobody can load
        two.put("w\uDC00", Grad4j.zeros(1));
        rejected(two, Map.of(), "tensor name \"w\\ud800\"", "unpaired UTF-16 surrogate", "index 1");
        Path f = tmp.resolve("m.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(two, f));
        assertFalse(Files.exists(f), "nothing is written");
        rejected(Map.of("\uDC00x", Grad4j.ones(1)), Map.of(), "index 0");
        rejected(Map.of("x\uD83D", Grad4j.ones(1)), Map.of(), "index 1");   // high surrogate at the end
    }

    @Test
    void pairedSurrogatesAndOtherUnicodeNamesRoundTrip() throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("emoji\uD83D\uDE00", Grad4j.ones(1));
        t.put("\u00e9t\u00e9.\u6743\u91cd", Grad4j.zeros(2));
        t.put("tab\tnew\nline\"q\"", Grad4j.ones(3));
        var back = SafeTensors.deserialize(SafeTensors.serialize(t, Map.of("n\u00f6te", "\uD83D\uDE00"))).tensors();
        assertEquals(t.keySet(), back.keySet());
    }

    @Test
    void metadataWithAnUnpairedSurrogateIsRejectedNamingTheKey() {
        rejected(Map.of("x", Grad4j.ones(1)), Map.of("note", "bad\uDFFF"), "metadata value of \"note\"", "\\udfff");
        rejected(Map.of("x", Grad4j.ones(1)), Map.of("k\uD800", "v"), "metadata key \"k\\ud800\"");
    }

    @Test
    void emptyAndNullTensorNamesAreRejected() {
        rejected(Map.of("", Grad4j.ones(1)), Map.of(), "tensor name is the empty string");
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put(null, Grad4j.ones(1));
        rejected(withNull, Map.of(), "tensor name is null");
        rejected(Map.of("__metadata__", Grad4j.ones(1)), Map.of(), "reserved");
    }

    @Test
    void aHeaderOverTheReadersLimitIsRejectedAtSaveNotAtLoad() {
        String huge = "a".repeat((int) SafeTensors.MAX_HEADER_BYTES);
        rejected(Map.of("x", Grad4j.ones(1)), Map.of("big", huge), "100000000-byte limit", "could not be loaded");
    }

    @Test
    void saveRefusesWhatLoadWouldRefuse() {
        Map<String, Tensor> many = new LinkedHashMap<>();
        Tensor one = Grad4j.zeros(0);
        for (int i = 0; i <= SafeTensorsHeader.MAX_TENSORS; i++) many.put("t" + i, one);
        rejected(many, Map.of(), "more than the " + SafeTensorsHeader.MAX_TENSORS);
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i <= SafeTensorsHeader.MAX_METADATA; i++) meta.put("k" + i, "");
        rejected(Map.of("x", Grad4j.ones(1)), meta, "metadata entries");
        int[] shape = new int[SafeTensorsHeader.MAX_DIMS + 1];
        java.util.Arrays.fill(shape, 1);
        rejected(Map.of("x", Grad4j.ones(shape)), Map.of(), "tensor 'x' has 129 dimensions");
    }
}
