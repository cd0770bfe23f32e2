package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.Warnings;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.grad4j.Grad4j.ones;
import static org.junit.jupiter.api.Assertions.*;

/** The warnings and errors someone porting a PyTorch script meets (issue 15 item 7). */
class PorterMessagesTest {
    static final String TARGET_SIZE = "Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). "
            + "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.";
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void capture() {
        Warnings.reset();
        Warnings.setListener(warnings::add);
    }

    @AfterEach
    void release() {
        Warnings.setListener(null);
        Warnings.reset();
    }

    @Test
    void regressionLossesWithATargetOfAnotherSizeWarnAsPyTorch() {
        Tensor in = ones(4, 1), target = ones(4);
        F.mseLoss(in, target);
        F.l1Loss(in, target);
        F.smoothL1Loss(in, target);
        F.huberLoss(in, target);
        new MSELoss().forward(in, target);
        new L1Loss().forward(in, target);
        new SmoothL1Loss().forward(in, target);
        new HuberLoss().forward(in, target);
        assertEquals(8, warnings.size(), "one per call site: " + warnings);
        for (String w : warnings) assertEquals(TARGET_SIZE, w);
        F.mseLoss(ones(4), ones(4));
        assertEquals(8, warnings.size(), "equal sizes do not warn");
    }

    @Test
    void aWarningShowsOncePerCallSiteAsPythonsDefaultFilter() {
        for (int i = 0; i < 3; i++) F.mseLoss(ones(4, 1), ones(4));
        assertEquals(1, warnings.size());
        F.mseLoss(ones(4, 1), ones(4));
        assertEquals(2, warnings.size(), "another line is another call site");
    }

    @Test
    void aWarningIsOneLineNamingTheCallSiteWithoutATimestamp() {
        Warnings.setListener(null);
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int line;
        try {
            line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            F.mseLoss(ones(4, 1), ones(4));
        } finally {
            System.setErr(old);
        }
        assertEquals("PorterMessagesTest.java:" + line + ": UserWarning: " + TARGET_SIZE + System.lineSeparator(),
                buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLayerGivenFloat64InputSaysHowToConvert() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2).call(ones(2, 3).toDouble()));
        assertEquals("linear: mat1 and mat2 must have the same dtype, but got torch.float64 and torch.float32. Fix: convert the input "
                + "to the weight's dtype (x.to(DType.FLOAT32)) or the module to the input's (module.to(DType.FLOAT64))", e.getMessage());
    }

    @Test
    void indexNamesTheDimensionOfTheIndexedTensor() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> ones(2, 3).index("0, 5"));
        assertEquals("index 5 is out of bounds for dimension 1 with size 3", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> ones(2, 3, 4).index("..., -5"));
        assertEquals("index -5 is out of bounds for dimension 2 with size 4", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> ones(2, 3).index(":, 3"));
        assertEquals("index 3 is out of bounds for dimension 1 with size 3", e.getMessage());
    }

    @Test
    void errorsNameTheFunctionTheUserCalledNotAnInternalOp() {
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("linear", () -> F.linear(ones(4, 9), ones(2, 9), ones(3)));
        calls.put("linear ", () -> new Linear(9, 2).call(ones(4, 8)));
        calls.put("bilinear", () -> F.bilinear(ones(4, 3), ones(4, 5), ones(2, 3, 5), ones(3)));
        calls.put("matmul", () -> ones(3).matmul(ones(4)));
        calls.put("matmul  ", () -> ones(2, 3).toDouble().matmul(ones(3, 2)));
        calls.put("linear  ", () -> new Linear(3, 2).call(ones(2, 3).toDouble()));
        calls.put("linear   ", () -> F.linear(Grad4j.tensor(1.0), ones(2, 1), null));
        calls.put("bilinear ", () -> F.bilinear(ones(4, 3), ones(5, 5), ones(2, 3, 5), null));
        calls.put("mv", () -> ones(2, 3).mv(ones(4)));
        calls.put("baddbmm", () -> ones(2, 2, 5).baddbmm(ones(2, 2, 3), ones(2, 4, 5), 1, 1));
        calls.put("addmm", () -> Grad4j.addmm(ones(3, 5), ones(2, 3), ones(3, 5), 1, 1));
        calls.put("kl_div", () -> F.klDiv(ones(4, 3), ones(4, 2)));
        calls.put("margin_ranking_loss", () -> F.marginRankingLoss(ones(3), ones(4), ones(3)));
        calls.put("hinge_embedding_loss", () -> F.hingeEmbeddingLoss(ones(3), ones(4)));
        calls.put("soft_margin_loss", () -> F.softMarginLoss(ones(3), ones(4)));
        calls.put("poisson_nll_loss", () -> F.poissonNllLoss(ones(3), ones(4)));
        calls.put("gaussian_nll_loss", () -> F.gaussianNllLoss(ones(3, 2), ones(3, 4), ones(3, 2)));
        calls.put("binary_cross_entropy", () -> F.binaryCrossEntropy(ones(4).mul(0.5), ones(4), ones(3), "mean"));
        calls.put("cross_entropy", () -> F.crossEntropy(ones(4, 3), ones(4, 2)));
        calls.put("mse_loss", () -> F.mseLoss(ones(4, 3), ones(4)));
        for (var c : calls.entrySet()) {
            var e = assertThrows(IllegalArgumentException.class, c.getValue(), c.getKey());
            String op = c.getKey().strip();
            assertTrue(e.getMessage().startsWith(op + ": "), c.getKey() + " -> " + e.getMessage());
        }
    }
}
