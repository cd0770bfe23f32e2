package org.grad4j.data;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST digits from a directory of IDX files ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each optionally {@code .gz}), like {@code torchvision.datasets.MNIST}: {@code train} selects the
 * train files, otherwise the t10k (test) files. A sample is {@code {image, label}}: the image a
 * float32 tensor of shape [1, rows, cols] scaled to [0, 1] (then passed through the optional
 * transform), the label an int64 scalar. Works for the full 60k/10k MNIST and for the 8,000/2,000
 * digits shipped with grad4j ({@link #shipped(boolean, UnaryOperator)}, from the jar).
 *
 * <pre>{@code
 * var train = MNIST.shipped(true, MNIST.normalize(0.1307, 0.3081));   // or new MNIST(dir, true, transform)
 * Tensor[] s = train.get(0);   // s[0]: [1, 28, 28] float32, s[1]: int64 label
 * }</pre>
 */
public final class MNIST implements Dataset<Tensor[]> {
    /** Mean and standard deviation of the full MNIST training pixels (torchvision's usual constants). */
    public static final double MEAN = 0.1307, STD = 0.3081;

    private final byte[] pixels;
    private final byte[] labels;
    private final int n, rows, cols;
    private final UnaryOperator<Tensor> transform;

    public MNIST(Path dir, boolean train) throws IOException { this(dir, train, null); }

    public MNIST(Path dir, boolean train, UnaryOperator<Tensor> transform) throws IOException {
        this(read(dir, train), transform);
    }

    private MNIST(Split f, UnaryOperator<Tensor> transform) throws IOException {
        Idx.Array img = f.img(), lbl = f.lbl();
        if (img.dims().length != 3) {
            throw new Idx.IdxFormatException(f.imgName() + ": MNIST images need 3 dimensions (n, rows, cols), found " + img.dims().length);
        }
        if (lbl.dims().length != 1) {
            throw new Idx.IdxFormatException(f.lblName() + ": MNIST labels need 1 dimension, found " + lbl.dims().length);
        }
        if (img.dims(0) != lbl.dims(0)) {
            throw new Idx.IdxFormatException(f.where() + ": " + img.dims(0) + " images but " + lbl.dims(0) + " labels");
        }
        for (int i = 0; i < lbl.data().length; i++) {
            int v = lbl.data()[i] & 0xff;
            if (v > 9) throw new Idx.IdxFormatException(f.lblName() + ": label " + v + " at index " + i + " is not a digit 0-9");
        }
        this.pixels = img.data();
        this.labels = lbl.data();
        this.n = img.dims(0);
        this.rows = img.dims(1);
        this.cols = img.dims(2);
        this.transform = transform;
    }

    /** The images and labels of one split, with the names errors use. */
    private record Split(Idx.Array img, Idx.Array lbl, String imgName, String lblName, String where) {}

    private static Split read(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path imgFile = find(dir, prefix + "-images-idx3-ubyte"), lblFile = find(dir, prefix + "-labels-idx1-ubyte");
        return new Split(Idx.read(imgFile), Idx.read(lblFile), imgFile.toString(), lblFile.toString(), dir.toString());
    }

    /**
     * The 8,000 train / 2,000 test digits shipped with grad4j ({@code data/mnist-10k}, provenance in
     * its README), read from the grad4j-core jar: works from any directory and in any project that
     * depends on grad4j-core, with no download.
     *
     * <pre>{@code
     * var train = MNIST.shipped(true, MNIST.normalize(MNIST.MEAN, MNIST.STD));   // 8,000 digits
     * var test = MNIST.shipped(false, MNIST.normalize(MNIST.MEAN, MNIST.STD));   // 2,000 digits
     * }</pre>
     */
    public static MNIST shipped(boolean train, UnaryOperator<Tensor> transform) throws IOException {
        String prefix = train ? "train" : "t10k";
        return new MNIST(new Split(resource(prefix + "-images-idx3-ubyte.gz"), resource(prefix + "-labels-idx1-ubyte.gz"),
                SHIPPED + prefix + "-images-idx3-ubyte.gz", SHIPPED + prefix + "-labels-idx1-ubyte.gz", SHIPPED), transform);
    }

    /** {@link #shipped(boolean, UnaryOperator)} without a transform: pixels in [0, 1]. */
    public static MNIST shipped(boolean train) throws IOException { return shipped(train, null); }

    private static final String SHIPPED = "grad4j-core.jar!/org/grad4j/data/mnist-10k/";

    private static Idx.Array resource(String name) throws IOException {
        InputStream raw = MNIST.class.getResourceAsStream("mnist-10k/" + name);
        if (raw == null) {
            throw new java.io.FileNotFoundException("the shipped MNIST digits (" + SHIPPED + name + ") are not on the class path."
                    + " Fix: use the grad4j-core jar built by ./grad4j install (or core/target/classes after a build),"
                    + " or pass the MNIST directory: new MNIST(dir, train, transform)");
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
            return Idx.read(in, -1, SHIPPED + name);
        }
    }

    private static Path find(Path dir, String base) throws IOException {
        for (Path p : new Path[]{dir.resolve(base), dir.resolve(base + ".gz"), dir.resolve("raw").resolve(base),
                dir.resolve("raw").resolve(base + ".gz")}) {
            if (Files.isRegularFile(p)) return p;
        }
        throw new java.io.FileNotFoundException("MNIST file " + base + "[.gz] not found in " + dir.toAbsolutePath()
                + ". Fix: point to a directory holding the four MNIST IDX files (e.g. data/mnist-10k of grad4j)");
    }

    /**
     * {@code data/mnist-10k} of a grad4j checkout, searched from the working directory upwards
     * (so it works from the repository root and from module directories).
     */
    public static Path shippedDirectory() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path d = p.resolve("data").resolve("mnist-10k");
            if (Files.isDirectory(d)) return d;
            p = p.getParent();
        }
        throw new java.io.FileNotFoundException("data/mnist-10k not found in " + Path.of("").toAbsolutePath()
                + " or its parents. Fix: run from a grad4j checkout, or pass the MNIST directory explicitly");
    }

    /** {@code transforms.Normalize((mean,), (std,))}: (x - mean) / std. */
    public static UnaryOperator<Tensor> normalize(double mean, double std) {
        if (!(std > 0)) throw new IllegalArgumentException("normalize: std must be positive, got " + std);
        return t -> t.sub(mean).div(std);
    }

    @Override
    public Tensor[] get(int index) {
        if (index < 0 || index >= n) throw new IndexOutOfBoundsException("index " + index + " is out of bounds for MNIST of size " + n);
        int px = rows * cols;
        float[] f = new float[px];
        for (int i = 0; i < px; i++) f[i] = (pixels[index * px + i] & 0xff) / 255.0f;
        Tensor image = Grad4j.fromArray(f, 1, rows, cols);
        if (transform != null) image = transform.apply(image);
        return new Tensor[]{image, Grad4j.tensor((long) (labels[index] & 0xff))};
    }

    @Override
    public int size() { return n; }

    /** The label of a sample without building its image. */
    public int label(int index) { return labels[index] & 0xff; }

    /** All labels as an int64 tensor of shape [n] ({@code dataset.targets}). */
    public Tensor targets() {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = labels[i] & 0xff;
        return Grad4j.fromArray(v, n);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }
}
