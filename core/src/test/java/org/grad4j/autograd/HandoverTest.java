package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.storage.Storage;
import org.junit.jupiter.api.Test;

import static org.grad4j.Grad4j.*;
import static org.junit.jupiter.api.Assertions.*;

/** Which outputs of a formula the engine may own: allocated during the formula, whole, and not shared with another output. */
class HandoverTest {

    private static boolean[] handedOver(long generation, Tensor... outs) {
        boolean[] r = Handover.fromNode(outs, generation);
        return r == null ? new boolean[outs.length] : r;
    }

    @Test
    void aFreshResultIsHandedOverAndAnOlderTensorIsNot() {
        Tensor old = randn(4);
        long gen = Storage.openGeneration();
        Tensor fresh = old.mul(2.0);
        assertArrayEquals(new boolean[]{true, false}, handedOver(gen, fresh, old));
    }

    @Test
    void outputsSharingAStorageAreNotHandedOver() {
        long gen = Storage.openGeneration();
        Tensor r = randn(3, 3);
        assertArrayEquals(new boolean[]{false, false}, handedOver(gen, r, r));
        gen = Storage.openGeneration();
        Tensor s = randn(3, 3);
        assertArrayEquals(new boolean[]{false, false}, handedOver(gen, s, s.t()));
        gen = Storage.openGeneration();
        Tensor u = randn(6);
        assertArrayEquals(new boolean[]{false, false}, handedOver(gen, u.narrow(0, 0, 3), u));
    }

    @Test
    void aPartOfAFreshStorageIsNotHandedOverButATransposeOfAllOfItIs() {
        long gen = Storage.openGeneration();
        Tensor part = randn(6).narrow(0, 1, 3);
        Tensor transposed = randn(2, 3).t();
        assertArrayEquals(new boolean[]{false, true}, handedOver(gen, part, transposed));
    }

    @Test
    void nothingIsHandedOverTwice() {
        long gen = Storage.openGeneration();
        Tensor r = randn(5);
        assertArrayEquals(new boolean[]{true}, handedOver(gen, r));
        assertArrayEquals(new boolean[]{false}, handedOver(gen, r));
    }

    @Test
    void anOwnedIncomingGradientPassedOnIsHandedOverOnlyWhenTheBufferOwnedIt() {
        Tensor owned = randn(4), notOwned = randn(4);
        InputBuffer buf = new InputBuffer(2);
        buf.add(0, owned, true);
        buf.add(1, notOwned, false);
        long gen = Storage.openGeneration();
        Handover.giveToNode(buf, buf.grads(), gen);
        assertArrayEquals(new boolean[]{true, false}, handedOver(gen, owned.reshape(2, 2), notOwned));
    }
}
