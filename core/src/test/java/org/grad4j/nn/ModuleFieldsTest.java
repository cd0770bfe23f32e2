package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.userpkg.UserNet;
import org.grad4j.optim.Adadelta;
import org.grad4j.optim.Adagrad;
import org.grad4j.optim.Adam;
import org.grad4j.optim.AdamW;
import org.grad4j.optim.Adamax;
import org.grad4j.optim.LBFGS;
import org.grad4j.optim.NAdam;
import org.grad4j.optim.RAdam;
import org.grad4j.optim.RMSprop;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Fields of a Module subclass register themselves, as PyTorch's __setattr__ does. */
class ModuleFieldsTest {
    static class Base extends Module {
        final Linear first = new Linear(2, 3);
    }

    static class Mlp extends Base {
        final Linear second = new Linear(3, 1);
        final Tensor scale = Parameter.of(Grad4j.ones(1));
        final Tensor steps = Buffer.of(Grad4j.zeros(1));
        final Tensor scratch = Buffer.of(Grad4j.zeros(2), false);
        final Tensor plain = Grad4j.ones(2);                 // a plain tensor attribute: not registered
        final Dropout drop = new Dropout(0.5);
        final Module absent = null;                          // None: skipped

        @Override
        public Tensor forward(Tensor x) { return second.call(drop.call(F.relu(first.call(x)))).mul(scale); }
    }

    @Test
    void fieldsRegisterInDeclarationOrderSuperclassFirst() {
        Mlp m = new Mlp();
        // PyTorch's order: a module's own parameters and buffers, then its children's
        assertEquals(List.of("scale", "first.weight", "first.bias", "second.weight", "second.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("scale", "steps", "first.weight", "first.bias", "second.weight", "second.bias"),
                new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("steps", "scratch"), new ArrayList<>(m.namedBuffers().keySet()));
        assertEquals(List.of("first", "second", "drop"), new ArrayList<>(m.namedChildren().keySet()));
        assertEquals(List.of("", "first", "second", "drop"), new ArrayList<>(m.namedModules().keySet()));
        assertTrue(m.scale.requiresGrad());
        assertTrue(Parameter.isParameter(m.first.weight()));
    }

    @Test
    void fieldModulesFollowTrainEvalApplyToAndPrinting() {
        Mlp m = new Mlp();
        m.eval();
        assertFalse(m.drop.isTraining());
        AtomicInteger visited = new AtomicInteger();
        m.apply(x -> visited.incrementAndGet());
        assertEquals(4, visited.get());
        m.toDouble();
        assertEquals(DType.FLOAT64, m.second.weight().dtype());
        assertEquals(DType.FLOAT64, m.steps.dtype());
        assertEquals("""
                Mlp(
                  (first): Linear(in_features=2, out_features=3, bias=True)
                  (second): Linear(in_features=3, out_features=1, bias=True)
                  (drop): Dropout(p=0.5, inplace=False)
                )""", m.toString());
        assertSame(m.second, m.getSubmodule("second"));
    }

    @Test
    void fieldDeclaredModelTrainsWithSgd() {
        Grad4j.manualSeed(0);
        UserNet net = new UserNet();                       // private fields, another package
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), new ArrayList<>(net.stateDict().keySet()));
        Tensor x = Grad4j.randn(16, 4), y = x.sum(1, true);
        var opt = new SGD(net.parameters(), 0.05);
        double first = 0, last = 0;
        for (int i = 0; i < 50; i++) {
            opt.zeroGrad();
            Tensor loss = F.mseLoss(net.call(x), y);
            loss.backward();
            opt.step();
            if (i == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first / 2, "loss " + first + " -> " + last);
    }

    static class Swappable extends Module {
        Linear head = new Linear(2, 2);
        Tensor gain = Parameter.of(Grad4j.ones(2));
    }

    @Test
    void reassignedFieldReplacesTheRegistrationAndNullBecomesNone() {
        Swappable s = new Swappable();
        Linear old = s.head;
        assertSame(old, s.getSubmodule("head"));
        s.head = new Linear(2, 5);
        assertSame(s.head, s.getSubmodule("head"));
        assertEquals(List.of("gain", "head.weight", "head.bias"), new ArrayList<>(s.stateDict().keySet()));
        assertEquals(5, s.stateDict().get("head.weight").size(0));
        s.head = null;
        assertEquals(List.of("gain"), new ArrayList<>(s.stateDict().keySet()));
        assertTrue(s.toString().contains("(head): None"), s.toString());
        s.gain = null;
        assertTrue(s.parameters().isEmpty());
    }

    @Test
    void plainTensorAssignedOverAParameterFieldFailsClearly() {
        Swappable s = new Swappable();
        s.parameters();
        s.gain = Grad4j.ones(2);
        var e = assertThrows(IllegalArgumentException.class, s::parameters);
        assertTrue(e.getMessage().startsWith("cannot assign 'torch.FloatTensor' as parameter 'gain' (torch.nn.Parameter or None expected)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Fix: assign Parameter.of(tensor)"));
    }

    static class Explicit extends Module {
        final Linear fc = registerModule("fc", new Linear(2, 2));            // field and explicit: same object, once
        final Linear outProj = registerModule("out_proj", new Linear(2, 2)); // explicit name wins over the field's
        final Tensor w = registerParameter("w", Grad4j.ones(2));
    }

    @Test
    void explicitRegistrationKeepsWorkingAndItsNameWins() {
        Explicit e = new Explicit();
        assertEquals(List.of("w", "fc.weight", "fc.bias", "out_proj.weight", "out_proj.bias"), new ArrayList<>(e.stateDict().keySet()));
    }

    static class LateExplicit extends Module {
        final Linear outProj = new Linear(2, 2);
        final Linear other = new Linear(2, 2);

        LateExplicit() {
            registerModule("other_name", other);      // sync has registered outProj by now; other moves to the explicit name
            registerModule("out_proj", outProj);
        }
    }

    @Test
    void explicitNameGivenAfterTheFieldWasRegisteredMovesIt() {
        assertEquals(List.of("other_name", "out_proj"), new ArrayList<>(new LateExplicit().namedChildren().keySet()));
    }

    static class Clash extends Module {
        final Linear fc = new Linear(2, 2);
    }

    @Test
    void explicitRegistrationOfAnotherObjectUnderAFinalFieldsNameFails() {
        Clash c = new Clash();
        var e = assertThrows(IllegalArgumentException.class, () -> c.registerModule("fc", new Linear(3, 3)));
        assertTrue(e.getMessage().contains("the final field 'fc' holds another Linear"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void explicitRegistrationUnderANonFinalFieldsNameAssignsTheField() {
        Swappable s = new Swappable();
        Linear next = new Linear(2, 7);
        s.registerModule("head", next);
        assertSame(next, s.head);
        assertSame(next, s.getSubmodule("head"));
    }

    static class WithTransient extends Module {
        final transient Linear teacher = new Linear(2, 2);   // transient: the opt-out
        final Linear student = new Linear(2, 2);
    }

    @Test
    void transientFieldsAreNotRegistered() {
        assertEquals(List.of("student"), new ArrayList<>(new WithTransient().namedChildren().keySet()));
    }

    static class Outer extends Module {
        final Linear own = new Linear(1, 1);

        /** An anonymous module: javac gives it a synthetic field holding this Outer. */
        Module inner() {
            return new Module() {
                final Linear fc = new Linear(1, 1);
                @Override public Tensor forward(Tensor x) { return fc.call(own.call(x)); }
            };
        }
    }

    @Test
    void anInnerModuleDoesNotRegisterItsOuterModule() {
        assertEquals(List.of("fc"), new ArrayList<>(new Outer().inner().namedChildren().keySet()));
    }

    static class Containers extends Module {
        final ModuleList blocks = new ModuleList(new Linear(2, 2), new Linear(2, 2));
        final ModuleDict heads = new ModuleDict(java.util.Map.of("a", new Linear(2, 1)));
        final ParameterList ps = new ParameterList(Grad4j.ones(1));
        final ParameterDict pd = new ParameterDict(java.util.Map.of("s", Grad4j.ones(1)));
    }

    @Test
    void containerFieldsRegister() {
        assertEquals(List.of("blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias", "heads.a.weight", "heads.a.bias",
                "ps.0", "pd.s"), new ArrayList<>(new Containers().stateDict().keySet()));
    }

    @Test
    void aPackageNotOpenToGrad4jGetsAMessageSayingWhatToAdd() throws Exception {
        var e = ModuleFields.inaccessible(UserNet.class, UserNet.class.getDeclaredField("fc1"));
        assertTrue(e.getMessage().contains("grad4j cannot read field 'fc1' of org.grad4j.nn.userpkg.UserNet"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: add `opens org.grad4j.nn.userpkg;` to your module-info.java"), e.getMessage());
    }

    @Test
    void nonRecursiveParametersSeeTheFieldsToo() {
        assertEquals(List.of("scale"), new ArrayList<>(new Mlp().namedParameters("", false).keySet()));
    }

    @Test
    void everyOptimizerRejectsAnEmptyParameterList() {
        List<Tensor> none = List.of();
        List<Executable> makers = List.of(() -> new SGD(none, 0.1), () -> new Adam(none, 0.1), () -> new AdamW(none, 0.1),
                () -> new Adagrad(none, 0.1), () -> new Adamax(none, 0.1), () -> new NAdam(none, 0.1), () -> new RAdam(none, 0.1),
                () -> new RMSprop(none, 0.1), () -> new Adadelta(none), () -> new LBFGS(none, new LBFGS.Options()));
        for (Executable m : makers) {
            var e = assertThrows(IllegalArgumentException.class, m);
            assertTrue(e.getMessage().startsWith("optimizer got an empty parameter list"), e.getMessage());
        }
    }
}
