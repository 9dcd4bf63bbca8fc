package io.cairn.node.cli;

import io.cairn.node.Main;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of a child JVM that runs {@code cairn}, as the launcher would: this JVM's
 * module flags (Chronicle Queue and Agrona need their --add-opens/--add-exports on Java 17, the
 * launcher passes the same), then {@code jvmOptions}, the classpath and {@link Main}.
 */
public final class CairnJvm {

    private CairnJvm() {
    }

    public static List<String> command(String classpath, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                command.add(arg);
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, Main.class.getName()));
        command.addAll(List.of(args));
        return command;
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
