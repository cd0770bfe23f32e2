package org.grad4j.io;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.nio.file.Path;
import java.util.Map;

/** Child process of {@link AtomicSaveKillTest}: saves versions 1, 2, 3... of a file until killed. */
public final class AtomicSaveChild {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        for (int v = 1; ; v++) {
            Tensor t = Grad4j.full(new int[]{n}, v);
            SafeTensors.save(Map.of("x", t), file, Map.of("version", Integer.toString(v)));
            System.out.println("saved " + v);
            System.out.flush();
        }
    }
}
