package io.cairn.node.cli;

import io.cairn.node.Main;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs {@code cairn}, as the launcher would: this JVM's
 * module flags (Chronicle Queue and Agrona need their --add-opens/--add-exports on Java 17; the
 * launcher passes them from the parent pom's {@code cairn.jvm.flags}, Surefire too), then
 * {@code jvmOptions}, the classpath and {@link Main}. Used by {@code cairn demo} for its nodes,
 * and by the tests for theirs.
 */
public final class ChildJvm {

    private ChildJvm() {
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
}
