package org.grad4j.bench;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.pytorch.global.torch.*;

/**
 * Writes the libtorch fixtures of core's TorchFilesTest with real libtorch 2.5.1's
 * {@code torch::pickle_save} (the zip format {@code torch.save} writes; {@code torch.load} reads it):
 * <ul>
 *   <li>{@code libtorch-matrix.pt}, {@code -transposed}, {@code -narrowed}, {@code -expanded}: a [3, 4]
 *       float tensor (0..11) and views of it (strides, offsets, a zero stride), one tensor per file;</li>
 *   <li>{@code libtorch-<dtype>.pt}: [0, -1.5, -3] in every other dtype grad4j reads;</li>
 *   <li>{@code libtorch-<name>} for the hand-made Python fixtures that hold plain dicts: libtorch's
 *       {@code pickle_load} reads the file (so the hand-made files are ones libtorch accepts) and
 *       {@code pickle_save} writes what it read back out, as libtorch spells it: a dict with views
 *       sharing one storage and every dtype. libtorch reads a state dict's OrderedDict as None, and
 *       its C++ reader ignores the byteorder record (a big-endian file comes back byte-swapped), so
 *       those stay Python-only.</li>
 * </ul>
 * Run from the repository root (builds the bench module, which pulls libtorch from ~/.m2):
 * <pre>
 * ./mvnw -q -Pbench -DskipTests package dependency:build-classpath -pl bench -am -Dmdep.outputFile=target/classpath.txt
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.grad4j.bench.TorchFixtures core/src/test/resources/org/grad4j/io/torch
 * </pre>
 */
public final class TorchFixtures {
    private TorchFixtures() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "core/src/test/resources/org/grad4j/io/torch");
        Loader.load(org.bytedeco.pytorch.global.torch.class);
        Tensor base = arange(new Scalar(12.0)).to(ScalarType.Float).view(3, 4);
        Tensor half = arange(new Scalar(3.0)).to(ScalarType.Float).mul(new Scalar(-1.5));
        // One tensor per file: the JavaCPP binding of c10::ivalue::Tuple::create gives tuples
        // pickle_save cannot write, and GenericDict has no insert; dicts come from the loop below.
        write(dir.resolve("libtorch-matrix.pt"), new IValue(base));
        write(dir.resolve("libtorch-transposed.pt"), new IValue(base.t()));            // strides (1, 4)
        write(dir.resolve("libtorch-narrowed.pt"), new IValue(base.narrow(1, 1, 2)));  // offset 1, strides (4, 1)
        write(dir.resolve("libtorch-expanded.pt"), new IValue(base.select(0, 2).expand(2, 4)));   // offset 8, strides (0, 1)
        for (ScalarType t : new ScalarType[]{ScalarType.Double, ScalarType.Half, ScalarType.BFloat16, ScalarType.Long,
                ScalarType.Int, ScalarType.Short, ScalarType.Char, ScalarType.Byte, ScalarType.Bool}) {
            write(dir.resolve("libtorch-" + t.name().toLowerCase(java.util.Locale.ROOT) + ".pt"), new IValue(half.to(t)));
        }

        for (String name : new String[]{"dtypes.pt", "views.pt"}) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            IValue v = pickle_load(new ByteVector(bytes));
            System.out.println(name + ": libtorch reads it as " + v.tagKind().getString());
            write(dir.resolve("libtorch-" + name), v);
        }
    }

    private static void write(Path file, IValue v) throws Exception {
        ByteVector out = pickle_save(v);
        byte[] b = new byte[(int) out.size()];
        for (int i = 0; i < b.length; i++) b[i] = out.get(i);
        Files.write(file, b);
        System.out.println("wrote " + file + " (" + b.length + " bytes)");
    }
}
