package org.grad4j.cuda;

/**
 * One launch the kernel catalog plans: the kernel's {@code .entry} name, a one-dimensional grid of
 * {@code gridX} blocks of {@code blockX} threads, dynamic shared memory and the arguments. A launch
 * over zero elements has {@code gridX == 0}: the launcher skips it (CUDA rejects empty grids).
 *
 * <pre>{@code
 * KernelLaunch l = KernelCatalog.fill(view, 1.0);
 * if (!l.isEmpty()) launcher.launch(l.name(), l.gridX(), l.blockX(), l.sharedBytes(), l.args());
 * }</pre>
 */
record KernelLaunch(String name, int gridX, int blockX, int sharedBytes, KernelArgs args) {
    boolean isEmpty() { return gridX == 0; }
}
