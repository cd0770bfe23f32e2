package org.grad4j.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharLstmTest {
    @Test
    void unigramEntropyOfAKnownDistribution() {
        assertEquals(1.5, CharLstm.unigramEntropyBits("aabc"), 1e-12);   // p = 1/2, 1/4, 1/4
        assertEquals(0.0, CharLstm.unigramEntropyBits("zzzz"), 1e-12);
    }

    @Test
    void lossFallsWellBelowTheUnigramEntropyOnHeldOutText() throws Exception {
        CharLstm.Result r = CharLstm.run(100, 128, 0, false);
        assertTrue(r.unigramBits() > 4.0 && r.unigramBits() < 4.5, "English letters: about 4.2 bits, got " + r.unigramBits());
        // a model that only knew letter frequencies would stay at the unigram entropy
        assertTrue(r.validBits() < r.unigramBits() - 1.0, "held-out " + r.validBits() + " vs unigram " + r.unigramBits());
        assertTrue(r.trainBits() < r.unigramBits() - 1.0, "train " + r.trainBits() + " vs unigram " + r.unigramBits());
        assertTrue(r.sample().startsWith("The ") && r.sample().length() == 404, r.sample());
    }
}
