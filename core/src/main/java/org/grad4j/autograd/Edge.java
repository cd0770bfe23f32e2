package org.grad4j.autograd;

/**
 * One input of a backward node: the node that receives the gradient and which of its inputs it
 * fills (PyTorch's {@code next_functions} entries are {@code (node, input_nr)} pairs).
 */
public record Edge(Node node, int inputNr) {
    @Override
    public String toString() {
        return "(" + (node == null ? "None" : "<" + node.name() + ">") + ", " + inputNr + ")";
    }
}
