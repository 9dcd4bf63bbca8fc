package io.cairn.node.cli;

import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigException;
import io.cairn.node.config.ConfigLoader;
import io.cairn.node.config.ConfigWriter;
import io.cairn.node.config.ConfigWriter.Secrets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn check-config FILE}: validates a config the way {@code run} would and prints the
 * effective config, so an operator can see the defaults the node will use before starting it.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate a config file and print the effective config (defaults filled in).",
                "Exits 0 if it is valid; otherwise prints every problem on stderr and exits 1."})
public final class CheckConfigCommand implements Callable<Integer> {

    /** Exit status for a config that is not valid (picocli uses 2 for bad command lines). */
    public static final int EXIT_INVALID = 1;

    @Parameters(paramLabel = "FILE", description = "the node's YAML config")
    private Path file;

    @Option(names = "--show-secrets", description = "print TCP MD5 passwords instead of "
            + ConfigWriter.REDACTED + " (the output is often pasted into tickets)")
    private boolean showSecrets;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            CairnConfig config = ConfigLoader.load(file);
            out.println("# effective config of " + file + ", defaults filled in"
                    + (showSecrets ? "" : "; passwords hidden (--show-secrets shows them)"));
            out.print(ConfigWriter.toYaml(config, showSecrets ? Secrets.SHOW : Secrets.REDACT));
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            int n = e.problems().size();
            err.println(e.source() + ": not valid (" + n + (n == 1 ? " problem)" : " problems)"));
            err.flush();
            return EXIT_INVALID;
        }
    }
}
