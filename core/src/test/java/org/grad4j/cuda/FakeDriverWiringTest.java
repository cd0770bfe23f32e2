package org.grad4j.cuda;

import org.grad4j.Device;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;
import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tensor wiring over the REAL driver code (FFM bindings, contexts, stream, caching allocator, pinned memory)
 * against the fake libcuda of FakeDriverTest (host memory, no kernels), in a child JVM: Device.cudaIsAvailable()
 * is true there, tensors move, ops run on the host fallback, backward and an Adam step match the CPU, the
 * allocator's statistics see the tensors. It says nothing about a GPU.
 */
class FakeDriverWiringTest {
    @Test
    void tensorsModulesAndPinnedBatchesWorkOverTheDriverCodeOnTheFakeDriver(@TempDir Path dir) throws Exception {
        FakeDriverChild.run(dir, Child.class, "-Dgrad4j.cuda.deviceKernels=false");   // the fake cannot run kernels: the host families
    }

    /** The child JVM's program: plain checks, "OK" when all hold. */
    public static final class Child {
        public static void main(String[] args) {
            Device cuda = Device.cuda(0);
            check(Device.cudaIsAvailable(), "available: " + Cuda.describe());
            Tensor x = Grad4j.tensor(new double[]{1.5, -2, 3, Double.NaN}, DType.FLOAT64).reshape(2, 2);
            Tensor d = x.to(cuda);
            check(d.device().equals(cuda) && d.isCuda(), "device " + d.device());
            check(Arrays.equals(Arrays.toString(x.toDoubleArray()).getBytes(), Arrays.toString(d.cpu().toDoubleArray()).getBytes()), "round trip");
            check(Cuda.memoryAllocated(0) > 0, "the allocator holds the tensor");
            Tensor y = d.mul(2.0).add(d).exp().sum(1);
            check(y.device().equals(cuda), "op output on " + y.device());
            check(Arrays.equals(x.mul(2.0).add(x).exp().sum(1).toDoubleArray(), y.toDoubleArray()), "values");
            check(d.toString().contains("device='cuda:0'"), d.toString());

            Grad4j.manualSeed(3);
            Module cpuModel = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
            Grad4j.manualSeed(3);
            Module model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2)).to(cuda);
            var cpuOpt = new Adam(cpuModel.parameters(), 0.01);
            var opt = new Adam(model.parameters(), 0.01);
            Tensor in = Grad4j.randn(new int[]{5, 4}, DType.FLOAT32, new Generator().manualSeed(1));
            for (int step = 0; step < 2; step++) {
                cpuOpt.zeroGrad();
                opt.zeroGrad();
                cpuModel.forward(in).pow(2).mean().backward();
                model.forward(in.cuda()).pow(2).mean().backward();
                cpuOpt.step();
                opt.step();
            }
            for (int i = 0; i < 4; i++) {
                Tensor p = model.parameters().get(i);
                check(p.device().equals(cuda) && p.grad().device().equals(cuda), "parameter " + i + " on " + p.device());
                check(Arrays.equals(cpuModel.parameters().get(i).toFloatArray(), p.toFloatArray()), "parameter " + i + " values");
            }

            var loader = org.grad4j.data.DataLoader.builder(new org.grad4j.data.TensorDataset(Grad4j.arange(0, 8, 1))).batchSize(4)
                    .pinMemory(true).build();
            Tensor[] batch = loader.iterator().next();
            check(batch[0].storage().kind() == org.grad4j.storage.Storage.Kind.OFFHEAP, "pinned batch kind " + batch[0].storage().kind());
            check(Arrays.equals(new long[]{0, 1, 2, 3}, batch[0].to(cuda).toLongArray()), "pinned batch values");

            var e = expect(() -> d.add(Grad4j.ones(new int[]{2, 2}, DType.FLOAT64)));
            check(e.contains("Expected all tensors to be on the same device"), e);
            Cuda.synchronize();
            System.out.println("OK");
        }

        private static String expect(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                return e.getMessage();
            }
            return "no exception";
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                System.out.println("FAILED: " + what);
                System.exit(1);
            }
        }
    }
}
