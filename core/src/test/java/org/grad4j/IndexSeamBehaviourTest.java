package org.grad4j;

import org.grad4j.storage.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Index ops whose edge cases changed when their loops moved behind the backend (PyTorch 2.5 behaviour). */
class IndexSeamBehaviourTest {
    private static Tensor longs(long... v) { return Grad4j.fromArray(v, v.length); }

    @Test
    void indexAddIntoZeroDimSelfAddsTheZeroDimSource() {
        // torch.tensor(1.).index_add(0, torch.tensor([0]), torch.tensor(2.)) == tensor(3.)
        Tensor out = Grad4j.scalarTensor(1.0, DType.FLOAT64).indexAdd(0, longs(0), Grad4j.scalarTensor(2.0, DType.FLOAT64));
        assertEquals(0, out.dim());
        assertEquals(3.0, out.item(), 0.0);
    }

    @Test
    void indexAddRejectsSourceOfOtherSliceShapeWithPyTorchsMessage() {
        Tensor self = Grad4j.zeros(3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> self.indexAdd(0, longs(0, 2), Grad4j.ones(2, 3)));
        assertEquals("index_add(): source tensor shape must match self tensor shape, excluding the specified dimension. "
                + "Got self.shape = [3, 4] source.shape = [2, 3]. Fix: give source self's shape with the number of indices at dim 0", e.getMessage());
        // a 0-d source only fits a 0-d self
        assertThrows(IllegalArgumentException.class, () -> Grad4j.zeros(3).indexAdd(0, longs(1), Grad4j.scalarTensor(2.0, DType.FLOAT32)));
    }

    @Test
    void gatherFromZeroDimSelfWithZeroDimIndex() {
        // torch.tensor(5.).gather(0, torch.tensor(0)) == tensor(5.)
        Tensor out = Grad4j.scalarTensor(5.0, DType.FLOAT64).gather(0, Grad4j.scalarTensor(0, DType.INT64));
        assertEquals(0, out.dim());
        assertEquals(5.0, out.item(), 0.0);
    }

    @Test
    void indexPutWithDuplicatesKeepsTheLastWriteOnEitherStorage() {
        Tensor x = Grad4j.zeros(4, 2);
        Tensor out = x.indexPut(new Tensor[]{longs(1, 3, 1, -1)}, Grad4j.tensor(new float[]{1, 2, 3, 4}).reshape(4, 1).expand(4, 2), false);
        assertArrayEquals(new float[]{0, 0, 3, 3, 0, 0, 4, 4}, out.toFloatArray());
    }
}
