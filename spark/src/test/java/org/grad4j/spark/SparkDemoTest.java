package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparkDemoTest {
    @Test
    void defaultRankCountIsTheLocalMastersSlotCountElseTwo() {
        assertEquals(4, SparkDemo.defaultRanks("local[4]"));
        assertEquals(3, SparkDemo.defaultRanks("local[3,2]"));
        assertEquals(2, SparkDemo.defaultRanks("spark://head:7077"));
        assertEquals(2, SparkDemo.defaultRanks("local[*]"));
    }
}
