package io.cairn.node.cli;

import io.cairn.node.CairnNode;
import io.cairn.node.admin.OperatorSurface;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigException;
import io.cairn.node.config.ConfigLoader;
import io.cairn.node.warmup.WarmUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** {@code cairn run --config FILE}: the daemon. Runs until SIGTERM/SIGINT, then says goodbye to every peer. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the Cairn daemon.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The node's YAML config.")
    Path config;

    @Override
    public Integer call() throws Exception {
        CairnConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (cfg.journal().dir() == null) {
            log.warn("{}: no journal.dir: learned routes are kept in a temporary journal and lost at exit", config);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CairnNode node;
        try {
            node = CairnNode.fromConfig(cfg);
        } catch (UncheckedIOException e) {
            System.err.println(config + ": journal: " + e.getMessage());
            return 1;
        }
        // The hook is in place before the first session can come up, so every peer gets its Cease.
        AtomicReference<OperatorSurface> surface = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            OperatorSurface s = surface.get();
            if (s != null) {
                s.close();
            }
            node.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            // The admin API first: a port in use stops the start before any session comes up.
            surface.set(OperatorSurface.start(node, cfg, config));
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (cfg.rib().warmUp()) {
            WarmUp.run(); // while the journal replays; before any session opens
        }
        try {
            node.start();
        } catch (UncheckedIOException e) {
            System.err.println(config + ": cluster: " + e.getMessage());
            return 1; // the shutdown hook closes the node
        }
        surface.get().nodeStarted();
        log.info("cairn node {} running: AS{}, {} peers", cfg.node().id(), cfg.node().asn(), cfg.peers().size());
        stopped.await();
        return 0;
    }
}
