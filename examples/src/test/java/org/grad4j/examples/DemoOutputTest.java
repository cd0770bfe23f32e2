package org.grad4j.examples;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's progress bar and curves. */
class DemoOutputTest {
    static final long S = 1_000_000_000L;

    @Test
    void progressLineHasOneThroughputASeparatorAFixedWidthAndNoQuestionMark() {
        ProgressLine p = new ProgressLine("epoch  1/12", 8000, null, 0);
        int width = -1;
        for (int done = 0; done <= 8000; done += 64) {
            String line = p.render(done == 0 ? 0 : S * done / 16000);   // 16,000 img/s: a fast epoch, 0.5 s
            if (width < 0) width = line.length();
            assertEquals(width, line.length(), "fixed width: " + line);
            assertFalse(line.contains("?"), line);
            assertEquals(1, line.split("img/s", -1).length - 1, "one throughput figure: " + line);
            assertTrue(line.contains("] ") && line.contains(" | loss "), "a separator before the metrics: " + line);
            p.step(64, 0.1234, 0.9612);
        }
        String end = p.render(S / 2);
        assertTrue(end.contains("100%") && end.contains("8000/8000") && end.contains("ETA  0:00"), end);
        assertTrue(end.contains("16000 img/s"), end);
        assertTrue(new ProgressLine("e", 10, null, 0).render(0).contains("ETA --:--"), "no rate yet: no guess");
    }

    /** Regression: the first redraw waited for the end of the epoch (an overflowing "last drawn" time). */
    @Test
    void progressLineDrawsFromTheFirstStepNotOnlyAtTheEnd() {
        var bytes = new ByteArrayOutputStream();
        var p = new ProgressLine("epoch  1/2", 1000, new PrintStream(bytes, true), System.nanoTime());
        p.step(10, 2.3, 0.1);
        assertTrue(bytes.toString().contains("10/1000"), "drawn at once: " + bytes);
    }

    @Test
    void progressLineErasesItselfSoTheEpochSummaryStartsAClearLine() {
        var bytes = new ByteArrayOutputStream();
        var p = new ProgressLine("epoch  1/2", 100, new PrintStream(bytes, true), System.nanoTime());
        p.step(100, 0.5, 0.5);
        p.close();
        String s = bytes.toString();
        assertTrue(s.startsWith("\r") && s.endsWith("\r"), s);
        String drawn = s.substring(1, s.indexOf('\r', 1));
        assertEquals("\r" + " ".repeat(drawn.length()) + "\r", s.substring(1 + drawn.length()));
    }

    @Test
    void curvesHaveALossPanelAndAnAccuracyPanelInPercent() throws Exception {
        List<Double> loss = List.of(0.9, 0.2, 0.1), train = List.of(0.80, 0.95, 0.97), test = List.of(0.90, 0.966, 0.979);
        XYChart[] panels = Curves.charts(loss, train, test);
        assertEquals(2, panels.length);
        assertEquals(List.of("train loss"), List.copyOf(panels[0].getSeriesMap().keySet()));
        assertEquals(List.of("train accuracy", "test accuracy"), List.copyOf(panels[1].getSeriesMap().keySet()));
        double[] testPct = panels[1].getSeriesMap().get("test accuracy").getYData();
        assertArrayEquals(new double[]{90, 96.6, 97.9}, testPct, 1e-9);
        assertEquals("accuracy (%)", panels[1].getYAxisTitle());
        assertEquals(89.0, panels[1].getStyler().getYAxisMin(), "axis starts below the test accuracy, not at epoch 1's 80%");
        assertTrue(panels[1].getTitle().contains("80.0%"), panels[1].getTitle());
        var img = ImageIO.read(new ByteArrayInputStream(Curves.png(panels)));
        assertEquals(Curves.WIDTH, img.getWidth());
        assertEquals(2 * Curves.PANEL_HEIGHT, img.getHeight());
    }
}
