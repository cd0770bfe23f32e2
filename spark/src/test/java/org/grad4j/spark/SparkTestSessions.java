package org.grad4j.spark;

import org.apache.spark.sql.SparkSession;

/** Small Spark sessions for the tests: loopback only, no UI, one attempt per task (a failing rank fails the job at once). */
final class SparkTestSessions {
    private SparkTestSessions() {}

    static SparkSession create(String master) {
        return SparkSession.builder().master(master).appName("grad4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.task.maxFailures", "1")
                .config("spark.stage.maxConsecutiveAttempts", "1")
                .getOrCreate();
    }
}
