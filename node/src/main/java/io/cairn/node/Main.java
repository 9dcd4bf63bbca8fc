package io.cairn.node;

import io.cairn.node.cli.CheckConfigCommand;
import io.cairn.node.cli.ClusterCommand;
import io.cairn.node.cli.DemoCommand;
import io.cairn.node.cli.HealthCommand;
import io.cairn.node.cli.PeerCommand;
import io.cairn.node.cli.PeersCommand;
import io.cairn.node.cli.ReloadCommand;
import io.cairn.node.cli.RoutesCommand;
import io.cairn.node.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} binary: daemon and CLI in one. Each subcommand is a small class in
 * {@code io.cairn.node.cli}, registered in the {@code subcommands} list below and nowhere else.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "BGP route server for virtual networks.",
        subcommands = {
            RunCommand.class,
            CheckConfigCommand.class,
            DemoCommand.class,
            PeersCommand.class,
            RoutesCommand.class,
            PeerCommand.class,
            ClusterCommand.class,
            HealthCommand.class,
            ReloadCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        // Before anything logs: logback would take an unknown format for "text" without a word.
        LogFormat.problem().ifPresent(problem -> {
            System.err.println("cairn: " + problem);
            System.exit(1);
        });
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand; tests run it with their own out/err writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** Version from the jar manifest, so the binary reports what was built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (v == null ? "dev" : v)};
        }
    }
}
