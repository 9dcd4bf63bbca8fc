package io.cairn.node.cli;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Child JVMs running {@code cairn} in tests: {@link ChildJvm}'s command line with the test's classpaths. */
public final class CairnJvm {

    private CairnJvm() {
    }

    public static List<String> command(String classpath, List<String> jvmOptions, String... args) {
        return ChildJvm.command(classpath, jvmOptions, args);
    }

    /** The main classpath only: the child logs with the shipped logback.xml, as the launcher's would. */
    public static String mainClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    }

    /** With the test classpath. */
    public static List<String> command(List<String> jvmOptions, String... args) {
        return command(System.getProperty("java.class.path"), jvmOptions, args);
    }
}
