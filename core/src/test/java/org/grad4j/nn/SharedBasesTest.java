package org.grad4j.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared bases of ModuleList/Sequential, BatchNorm/InstanceNorm and the transformer layers keep PyTorch's keys. */
class SharedBasesTest {
    @Test
    void containersChainIndexAndName() {
        Linear a = new Linear(2, 2), b = new Linear(2, 1);
        Sequential s = new Sequential().add(a).append(b);
        ModuleList l = new ModuleList().add(a).append(b);
        assertEquals(2, s.size());
        assertSame(b, l.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(l.stateDict().keySet()));
    }

    @Test
    void normsRegisterPyTorchsKeys() {
        assertTrue(new InstanceNorm1d(2).stateDict().isEmpty(), "no affine, no running stats: nothing saved");
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(new InstanceNorm1d(2, 1e-5, 0.1, true, true).stateDict().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(new BatchNorm1d(2, 1e-5, null, false, true).stateDict().keySet()));
        assertEquals("BatchNorm1d(2, eps=1e-05, momentum=None, affine=False, track_running_stats=True)",
                new BatchNorm1d(2, 1e-5, null, false, true).toString());
    }

    @Test
    void transformerLayersRegisterInPyTorchsOrder() {
        List<String> enc = new TransformerEncoderLayer(4, 2, 8, 0.0, "relu", 1e-5, false, false).namedChildren().keySet().stream().toList();
        assertEquals(List.of("self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"), enc);
        List<String> dec = new TransformerDecoderLayer(4, 2, 8, 0.0, "gelu", 1e-5, true, true).namedChildren().keySet().stream().toList();
        assertEquals(List.of("self_attn", "multihead_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "norm3",
                "dropout1", "dropout2", "dropout3"), dec);
    }
}
