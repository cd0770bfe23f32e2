package org.grad4j;

/** Counts in-place changes of a storage region; shared by a tensor, its views and detach(). */
final class VersionCounter {
    int version;
}
