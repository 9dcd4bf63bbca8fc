package io.cairn.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} binary: daemon and CLI in one. */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "BGP route server for virtual networks.")
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
