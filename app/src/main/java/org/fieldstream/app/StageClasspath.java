package org.fieldstream.app;

/**
 * The class path the stage processes run on: the stage runtime (the stages module and its libraries,
 * without the broker, ClickHouse launchers, Testcontainers or benchmark tools), which the
 * {@code fieldstream} script passes as {@value #PROPERTY} to the commands that run on the full class
 * path; this JVM's own class path where it is not set (tests, a hand-written {@code java} command).
 */
public final class StageClasspath {

    public static final String PROPERTY = "fieldstream.stage.classpath";

    private StageClasspath() {
    }

    public static String get() {
        String stages = System.getProperty(PROPERTY, "");
        return stages.isBlank() ? System.getProperty("java.class.path") : stages;
    }

    /** The JVM option that hands the stage class path on to a child running this module. */
    public static String option() {
        return "-D" + PROPERTY + "=" + get();
    }
}
