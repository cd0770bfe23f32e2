package org.grad4j.io;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    @Test
    void unpairedSurrogatesAreWrittenAsEscapesAndSurviveUtf8() throws Exception {
        String s = "a\uD800b\uDC00\uD83D\uDE00";
        String json = Json.write(List.of(s));
        String viaUtf8 = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(List.of(s), Json.parse(viaUtf8));
        assertTrue(json.contains("\\ud800") && json.contains("\\udc00") && json.contains("\uD83D\uDE00"), json);
    }

    @Test
    void craftedJsonOfEmptyValuesIsRefusedBeforeItTakesManyTimesItsSize() throws Exception {
        String empties = "[" + "[],".repeat(1 << 20) + "[]]";      // 3 MB of text: was ~50 MB of ArrayLists
        var e = assertThrows(Json.JsonException.class, () -> Json.parse(empties));
        assertTrue(e.getMessage().contains("too large to read"), e.getMessage());
        String strings = "{\"a\":[" + "\"\",".repeat(1 << 20) + "\"\"]}";
        assertThrows(Json.JsonException.class, () -> Json.parse(strings));
        // real metadata: long lists of numbers (LBFGS history), many small integers (param indices)
        StringBuilder numbers = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) numbers.append(i > 0 ? "," : "").append(Math.sin(i));
        assertEquals(200_000, ((List<?>) Json.parse(numbers + "]")).size());
        StringBuilder ids = new StringBuilder("{\"params\":[");
        for (int i = 0; i < 500_000; i++) ids.append(i > 0 ? "," : "").append(i);
        assertEquals(1, ((java.util.Map<?, ?>) Json.parse(ids + "]}")).size());
    }
}
