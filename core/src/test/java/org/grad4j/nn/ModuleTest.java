package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Module machinery: registration, state dict keys and loading, printout, modes, hooks, dtype conversion. */
class ModuleTest {
    /** A small LeNet-style CNN laid out as a typical PyTorch tutorial writes it. */
    static final class Net extends Module {
        final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2)));
        final Sequential classifier = registerModule("classifier", new Sequential(
                new Flatten(), new Linear(256, 120), new ReLU(), new Dropout(0.5), new Linear(120, 10)));

        @Override
        public Tensor forward(Tensor x) { return classifier.call(features.call(x)); }
    }

    @Test
    void stateDictKeysArePyTorchs() {
        Net net = new Net();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
                "features.4.weight", "features.4.bias", "features.4.running_mean", "features.4.running_var",
                "features.4.num_batches_tracked", "classifier.1.weight", "classifier.1.bias", "classifier.4.weight",
                "classifier.4.bias"), new ArrayList<>(net.stateDict().keySet()));
        assertEquals(10, net.parameters().size());
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.4.weight",
                "features.4.bias", "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(DType.INT64, net.stateDict().get("features.4.num_batches_tracked").dtype());
        assertEquals(List.of("", "features", "features.0", "features.1", "features.2", "features.3", "features.4", "features.5",
                "features.6", "classifier", "classifier.0", "classifier.1", "classifier.2", "classifier.3", "classifier.4"),
                new ArrayList<>(net.namedModules().keySet()));
        assertEquals(2, net.children().size());
    }

    @Test
    void printoutMatchesPyTorch() {
        String expected = """
                Net(
                  (features): Sequential(
                    (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
                    (1): ReLU()
                    (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                    (3): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
                    (4): BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                    (5): ReLU()
                    (6): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  )
                  (classifier): Sequential(
                    (0): Flatten(start_dim=1, end_dim=-1)
                    (1): Linear(in_features=256, out_features=120, bias=True)
                    (2): ReLU()
                    (3): Dropout(p=0.5, inplace=False)
                    (4): Linear(in_features=120, out_features=10, bias=True)
                  )
                )""";
        assertEquals(expected, new Net().toString());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), groups=1, bias=False)".replace(", groups=1", ""),
                new Conv2d(3, 8, new int[]{3}, new int[]{2}, new int[]{1}, new int[]{1}, 1, false).toString());
        assertEquals("Conv1d(4, 4, kernel_size=(3,), stride=(1,), padding=same, groups=2)",
                new Conv1d(4, 4, new int[]{3}, new int[]{1}, "same", new int[]{1}, 2, true).toString());
        assertEquals("LSTM(10, 20, num_layers=2, batch_first=True, dropout=0.1, bidirectional=True)",
                new LSTM(10, 20, 2, true, true, 0.1, true).toString());
        assertEquals("LayerNorm((8,), eps=1e-05, elementwise_affine=True)", new LayerNorm(8).toString());
        assertEquals("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, 0).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("Softmax(dim=1)", new Softmax().toString());
    }

    @Test
    void forwardShapesAndGradientsReachEveryParameter() {
        Net net = new Net();
        Tensor x = Grad4j.randn(4, 1, 28, 28);
        Tensor logits = net.call(x);
        assertArrayEquals(new int[]{4, 10}, logits.shape());
        Tensor loss = F.crossEntropy(logits, Grad4j.tensor(new long[]{1, 0, 9, 3}));
        loss.backward();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
            assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
        }
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertNull(p.grad());
    }

    @Test
    void trainAndEvalSwitchDropoutAndBatchNorm() {
        Dropout d = new Dropout(0.5);
        Tensor x = Grad4j.ones(1000);
        Tensor y = d.call(x);
        double zeros = y.eq(0.0).toDouble().sum().item();
        assertTrue(zeros > 400 && zeros < 600, "about half dropped: " + zeros);
        assertTrue(y.eq(0.0).logicalOr(y.eq(2.0)).all().itemBool(), "kept elements are scaled by 1/(1-p)");
        d.eval();
        assertFalse(d.isTraining());
        assertTrue(d.call(x).equal(x));

        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor b = Grad4j.tensor(new double[][]{{1, 10}, {3, 20}, {5, 60}});
        Tensor out = bn.call(b);
        // batch stats: mean (3, 30), biased var (8/3, 1400/3); running: 0.1 * mean, 0.9 + 0.1 * unbiased var (4, 700)
        assertArrayEquals(new double[]{0.3, 3.0}, bn.runningMean().toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{0.9 + 0.4, 0.9 + 70}, bn.runningVar().toDoubleArray(), 1e-4);
        assertEquals(1, bn.numBatchesTracked().itemLong());
        assertEquals(-2 / Math.sqrt(8.0 / 3 + 1e-5), out.getDouble(0, 0), 1e-5);
        bn.eval();
        Tensor e = bn.call(b);
        assertEquals((1 - 0.3) / Math.sqrt(1.3 + 1e-5), e.getDouble(0, 0), 1e-5);
        assertEquals(1, bn.numBatchesTracked().itemLong(), "eval does not count batches");
        BatchNorm1d cumulative = new BatchNorm1d(2, 1e-5, null, true, true);
        cumulative.call(b);
        assertArrayEquals(new double[]{3, 30}, cumulative.runningMean().toDoubleArray(), 1e-5, "momentum=None: cumulative average");
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).call(b));
    }

    @Test
    void loadStateDictCopiesValuesAndReportsBadKeys() {
        Net a = new Net(), b = new Net();
        b.loadStateDict(a.stateDict());
        for (String k : a.stateDict().keySet()) assertTrue(a.stateDict().get(k).equal(b.stateDict().get(k)), k);
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>(a.stateDict());
        sd.remove("classifier.4.bias");
        sd.put("extra.weight", Grad4j.zeros(1));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(sd));
        assertEquals("Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"classifier.4.bias\". \n\t"
                + "Unexpected key(s) in state_dict: \"extra.weight\". ", ex.getMessage());
        Module.IncompatibleKeys keys = b.loadStateDict(sd, false);
        assertEquals(List.of("classifier.4.bias"), keys.missingKeys());
        assertEquals(List.of("extra.weight"), keys.unexpectedKeys());
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(a.stateDict());
        bad.put("classifier.4.bias", Grad4j.zeros(3));
        ex = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertTrue(ex.getMessage().contains("size mismatch for classifier.4.bias: copying a param with shape torch.Size([3]) "
                + "from checkpoint, the shape in current model is torch.Size([10])."), ex.getMessage());
    }

    @Test
    void toDtypeFreezeAndApply() {
        Net net = new Net();
        net.toDouble();
        for (Tensor p : net.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
            assertTrue(p.requiresGrad() && p.isLeaf());
        }
        assertEquals(DType.FLOAT64, ((BatchNorm2d) net.features.get(4)).runningMean().dtype());
        assertEquals(DType.INT64, ((BatchNorm2d) net.features.get(4)).numBatchesTracked().dtype());
        assertArrayEquals(new int[]{2, 10}, net.call(Grad4j.randn(new int[]{2, 1, 28, 28}, DType.FLOAT64, Grad4j.defaultGenerator())).shape());
        net.features.requiresGrad_(false);
        assertFalse(((Conv2d) net.features.get(0)).weight().requiresGrad());
        assertTrue(((Linear) net.classifier.get(1)).weight().requiresGrad());
        List<String> seen = new ArrayList<>();
        net.apply(m -> seen.add(m.getName()));
        assertEquals("Net", seen.get(seen.size() - 1));
        assertEquals("Conv2d", seen.get(0));
        net.eval();
        for (Module m : net.modules()) assertFalse(m.isTraining());
    }

    @Test
    void hooksSeeAndReplaceValues() {
        Linear lin = new Linear(3, 2);
        List<String> log = new ArrayList<>();
        var pre = lin.registerForwardPreHook((m, in) -> new Tensor[]{in[0].mul(2.0)});
        var post = lin.registerForwardHook((m, in, out) -> {
            log.add("forward " + java.util.Arrays.toString(out.shape()));
            return out.mul(0.0).add(1.0);
        });
        Tensor x = Grad4j.ones(1, 3).requiresGrad_();
        Tensor y = lin.call(x);
        assertTrue(y.equal(Grad4j.ones(1, 2)));
        assertEquals(List.of("forward [1, 2]"), log);
        pre.remove();
        post.remove();
        Tensor[][] seen = new Tensor[2][];
        lin.registerFullBackwardHook((m, gin, gout) -> {
            seen[0] = gin;
            seen[1] = gout;
            return new Tensor[]{gin[0].mul(10.0)};
        });
        Tensor out = lin.call(x);
        out.sum().backward();
        assertArrayEquals(new double[]{1, 1}, seen[1][0].toDoubleArray(), 1e-7);
        double[] w = lin.weight().detach().sum(0).toDoubleArray();
        assertArrayEquals(w, seen[0][0].toDoubleArray(), 1e-6, "grad_input is W^T grad_output");
        assertArrayEquals(new double[]{10 * w[0], 10 * w[1], 10 * w[2]}, x.grad().toDoubleArray(), 1e-5, "the hook's result replaces it");
    }

    @Test
    void registrationRules() {
        Module m = new Module() {};
        m.registerParameter("w", Grad4j.zeros(2));
        assertTrue(m.getParameter("w").requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("w", Grad4j.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Grad4j.zeros(2)));
        Tensor nonLeaf = Grad4j.zeros(2).requiresGrad_().mul(2.0);
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("v", nonLeaf));
        m.registerBuffer("tmp", Grad4j.zeros(1), false);
        assertEquals(List.of("w"), new ArrayList<>(m.stateDict().keySet()), "non-persistent buffers are not saved");
        ParameterList pl = new ParameterList(Grad4j.zeros(2), Grad4j.ones(3));
        assertEquals(List.of("0", "1"), new ArrayList<>(pl.stateDict().keySet()));
        ModuleDict md = new ModuleDict().put("enc", new Linear(2, 2)).put("act", new Tanh());
        assertEquals(List.of("enc.weight", "enc.bias"), new ArrayList<>(md.stateDict().keySet()));
        ModuleList ml = new ModuleList(new Linear(1, 1), new Linear(1, 1, false));
        assertEquals(List.of("0.weight", "0.bias", "1.weight"), new ArrayList<>(ml.stateDict().keySet()));
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, shared);
        assertEquals(2, s.parameters().size(), "shared parameters are listed once");
        assertEquals(4, s.stateDict().size(), "but the state dict has every key, as PyTorch");
    }

    @Test
    void replacingAHeadAndHooksOnInputsWithoutGrad() {
        Net net = new Net();
        net.classifier.registerModule("4", new Linear(120, 3));                  // model.classifier[4] = nn.Linear(120, 3)
        assertArrayEquals(new int[]{3, 120}, net.stateDict().get("classifier.4.weight").shape());
        assertSame(net.classifier.get(4), net.getSubmodule("classifier.4"));
        assertArrayEquals(new int[]{2, 3}, net.call(Grad4j.randn(2, 1, 28, 28)).shape());
        Linear lin = new Linear(2, 1);
        Tensor[][] seen = new Tensor[2][];
        lin.registerFullBackwardHook((m, gin, gout) -> {
            seen[0] = gin;
            seen[1] = gout;
            return null;
        });
        lin.call(Grad4j.ones(1, 2)).sum().backward();     // the input needs no grad: grad_input is (None,)
        assertEquals(1, seen[0].length);
        assertNull(seen[0][0]);
        assertArrayEquals(new double[]{1}, seen[1][0].toDoubleArray(), 0);
        assertNotNull(lin.weight().grad());
    }
}
