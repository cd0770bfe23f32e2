package org.grad4j.ops;

/** Hand-written view and in-place scenarios (family "views"), each spelled for both sides. */
final class ViewScenarios {
    private ViewScenarios() {}

    static void run(Oracle oracle) {}
}
