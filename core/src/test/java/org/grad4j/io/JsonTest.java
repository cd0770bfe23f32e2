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
}
