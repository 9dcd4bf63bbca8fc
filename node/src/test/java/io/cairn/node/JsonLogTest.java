package io.cairn.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.node.admin.RunningNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.cli.CairnJvm;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The log format switch of the shipped logback.xml: {@code CAIRN_LOG_FORMAT=json} makes a log
 * shipper's input, one JSON object per line; anything but "text" or "json" is refused by name.
 */
class JsonLogTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theDaemonLogsOneJsonObjectPerLine() throws Exception {
        int bgpPort = Loopback.freePort(RunningNode.NODE);
        Path routes = dir.resolve("effective-routes.json");
        Path config = Files.writeString(dir.resolve("cairn.yaml"), RunningNode.yaml(bgpPort, Loopback.freePort(RunningNode.NODE), "",
                "sdn: {driver: file, file: {path: \"" + routes + "\"}}\n", List.of(RunningNode.peer("sdwan", 2, 65001))));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        long started = System.currentTimeMillis();
        Process daemon = cairn(Map.of("CAIRN_LOG_FORMAT", "json"), out, err, "run", "--config", config.toString());
        try {
            Await.until("the daemon to say it runs", WAIT, () -> {
                assertTrue(daemon.isAlive(), "the daemon exited early: " + read(err));
                return read(err).contains("running");
            });
            daemon.destroy(); // SIGTERM: the shutdown hook logs from its own thread
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not exit after SIGTERM");
        } finally {
            daemon.destroyForcibly();
        }
        long ended = System.currentTimeMillis();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : read(err).split("\n")) {
            lines.add(JSON.readTree(line)); // every line, or a shipper would choke on it
        }
        JsonNode running = find(lines, "io.cairn.node.cli.RunCommand", "cairn node a running: AS65515, 1 peers");
        assertEquals("INFO", running.get("level").asText());
        assertEquals("main", running.get("threadName").asText());
        long at = running.get("timestamp").asLong();
        assertTrue(at >= started && at <= ended, "timestamp " + at + " is Unix milliseconds of the run");
        assertEquals("shutdown", find(lines, "io.cairn.node.cli.RunCommand", "shutting down").get("threadName").asText());
        find(lines, "io.cairn.sdn.Reconciler", "SDN (file): leading with epoch 1, syncing");
        assertEquals("", read(out), "stdout stays clean for command output");
    }

    @Test
    void exceptionsAndMdcBecomeFieldsOfTheLine() throws Exception {
        OutputStreamAppender<?> appender = configuredAppender("json");
        LoggerContext context = (LoggerContext) appender.getContext();
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("io.cairn.test"), Level.WARN,
                "peer {} down", new IOException("connection reset", new IllegalStateException("hold timer")),
                new Object[] {"sdwan"});
        event.setMDCPropertyMap(Map.of("peer", "sdwan"));

        String encoded = new String(encode(appender, event), StandardCharsets.UTF_8);
        assertTrue(encoded.endsWith("\n") && encoded.indexOf('\n') == encoded.length() - 1, "one line: " + encoded);
        JsonNode line = JSON.readTree(encoded);
        assertEquals("WARN", line.get("level").asText());
        assertEquals("io.cairn.test", line.get("loggerName").asText());
        assertEquals("peer sdwan down", line.get("formattedMessage").asText());
        assertEquals("sdwan", line.get("mdc").get("peer").asText());
        JsonNode thrown = line.get("throwable");
        assertEquals("java.io.IOException", thrown.get("className").asText());
        assertEquals("connection reset", thrown.get("message").asText());
        assertTrue(thrown.get("stepArray").size() > 0, encoded);
        assertEquals("java.lang.IllegalStateException", thrown.get("cause").get("className").asText());
    }

    @Test
    void textIsTheDefault() throws Exception {
        assumeTrue(System.getenv(LogFormat.ENVIRONMENT) == null && System.getProperty(LogFormat.PROPERTY) == null,
                "the test's own environment chooses a log format");
        OutputStreamAppender<?> appender = configuredAppender(null);
        LoggingEvent event = new LoggingEvent(getClass().getName(), ((LoggerContext) appender.getContext()).getLogger("io.cairn.test"),
                Level.INFO, "hello", null, null);
        String encoded = new String(encode(appender, event), StandardCharsets.UTF_8);
        assertTrue(encoded.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  test - hello\n"), encoded);
    }

    @Test
    void anUnknownFormatIsRefusedByName() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process cairn = cairn(Map.of("CAIRN_LOG_FORMAT", "jsn"), out, err, "--version");
        assertTrue(cairn.waitFor(60, TimeUnit.SECONDS), "cairn did not exit");
        assertEquals(1, cairn.exitValue());
        assertEquals("cairn: CAIRN_LOG_FORMAT must be \"text\" or \"json\", not \"jsn\"\n", read(err));
        assertEquals("", read(out));

        assertEquals(Optional.of("-Dcairn.log.format must be \"text\" or \"json\", not \"JSON\""),
                LogFormat.problem("JSON", "json"), "the system property wins, as in logback.xml");
        assertEquals(Optional.empty(), LogFormat.problem(null, "json"));
        assertEquals(Optional.empty(), LogFormat.problem("text", "jsn"));
        assertEquals(Optional.empty(), LogFormat.problem(null, ""));
    }

    /** The shipped logback.xml (main resources, not the tests' logback-test.xml) in a context of its own. */
    private static OutputStreamAppender<?> configuredAppender(String format) throws Exception {
        URL shipped = JsonLogTest.class.getClassLoader().getResource("logback.xml");
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty(LogFormat.PROPERTY, format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(shipped);
        return (OutputStreamAppender<?>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(OutputStreamAppender<?> appender, LoggingEvent event) {
        return ((OutputStreamAppender<LoggingEvent>) appender).getEncoder().encode(event);
    }

    private static JsonNode find(List<JsonNode> lines, String logger, String message) {
        return lines.stream()
                .filter(l -> logger.equals(l.path("loggerName").asText()) && message.equals(l.path("formattedMessage").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no line from " + logger + " saying \"" + message + "\" in " + lines));
    }

    /** {@code cairn ARGS} in its own JVM on the main classpath only, so it logs with the shipped logback.xml. */
    private static Process cairn(Map<String, String> env, Path out, Path err, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(CairnJvm.command(CairnJvm.mainClasspath(), List.of(), args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
