package org.grad4j.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The demo's {@code curves.png}: two panels, one above the other, sharing the epoch axis: the
 * training loss, and the train and test accuracy in percent on an axis of their own (scaled to
 * the values, so a dip of one point is visible, not squashed against a 0-1 loss scale).
 */
final class Curves {
    private Curves() {}

    static final int WIDTH = 800, PANEL_HEIGHT = 320;

    /** The two panels: loss per epoch, and accuracy (fractions in, percent plotted) per epoch. */
    static XYChart[] charts(List<Double> loss, List<Double> trainAcc, List<Double> testAcc) {
        double[] epochs = new double[loss.size()];
        for (int i = 0; i < epochs.length; i++) epochs[i] = i + 1;
        XYChart l = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title("grad4j demo: LeNet-5 on MNIST - training loss")
                .xAxisTitle("epoch").yAxisTitle("cross-entropy loss").build();
        l.addSeries("train loss", epochs, values(loss, 1));
        XYChart a = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title("accuracy")
                .xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
        a.addSeries("train accuracy", epochs, values(trainAcc, 100));
        a.addSeries("test accuracy", epochs, values(testAcc, 100));
        a.getStyler().setYAxisDecimalPattern("0.0");
        // The first epoch's train accuracy (a running mean from chance level) would stretch the axis
        // so far that a one-point dip of the test accuracy disappears: the axis starts just below the
        // test accuracy and the later train accuracy, and the title says what is below it.
        double floor = Math.floor(Math.min(min(testAcc, 0), min(trainAcc, 1)) * 100) - 1;
        if (trainAcc.size() > 1 && trainAcc.get(0) * 100 < floor) {
            a.setTitle(String.format(java.util.Locale.ROOT, "accuracy (epoch 1 train accuracy, %.1f%%, is below the axis)",
                    trainAcc.get(0) * 100));
            a.getStyler().setYAxisMin(floor);
            a.getStyler().setYAxisMax(100.0);
        }
        for (XYChart c : new XYChart[]{l, a}) c.getStyler().setXAxisDecimalPattern("0");
        return new XYChart[]{l, a};
    }

    /** The smallest value from index {@code from} on (the last value if there are fewer). */
    private static double min(List<Double> v, int from) {
        return v.subList(Math.min(from, v.size() - 1), v.size()).stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double[] values(List<Double> v, double scale) {
        return v.stream().mapToDouble(d -> d * scale).toArray();
    }

    /** The PNG bytes of both panels stacked. */
    static byte[] png(XYChart[] panels) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.length, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < panels.length; i++) g.drawImage(BitmapEncoder.getBufferedImage(panels[i]), 0, i * PANEL_HEIGHT, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** Writes the curves to {@code file}. */
    static void write(Path file, List<Double> loss, List<Double> trainAcc, List<Double> testAcc) throws IOException {
        // atomic, with the mode a plain write gives (a reader never sees a half-written PNG)
        org.grad4j.io.AtomicFiles.write(file, png(charts(loss, trainAcc, testAcc)));
    }
}
