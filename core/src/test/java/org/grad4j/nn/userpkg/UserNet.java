package org.grad4j.nn.userpkg;

import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;

/** A user's model in its own package with private fields, as a porter writes `self.fc1 = nn.Linear(...)`. */
public class UserNet extends Module {
    private final Linear fc1 = new Linear(4, 8);
    private final Linear fc2 = new Linear(8, 1);

    @Override
    public Tensor forward(Tensor x) { return fc2.call(F.relu(fc1.call(x))); }
}
