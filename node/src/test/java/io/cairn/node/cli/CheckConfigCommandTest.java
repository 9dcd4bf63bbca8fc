package io.cairn.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cairn(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void validConfigPrintsEffectiveConfigAndExitsZero() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), """
                node: {id: a, router-id: 10.1.0.4}
                vnet: {prefixes: [10.1.0.0/16]}
                peers: [{name: sdwan, address: 10.1.1.4, asn: 65001, password: hunter2}]
                """);

        assertEquals(0, cairn("check-config", file.toString()));
        assertEquals("", err.toString());
        String yaml = out.toString();
        assertTrue(yaml.startsWith("# effective config of " + file + ", defaults filled in;"
                + " passwords hidden (--show-secrets shows them)\nnode:\n  id: a\n"), yaml);
        assertTrue(yaml.contains("    hold-time: 90\n    password: '********'\n"), yaml);
        assertTrue(yaml.contains("admin:\n  listen: 127.0.0.1:8179\n"), yaml);
    }

    @Test
    void showSecretsPrintsPasswords() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), """
                node: {id: a, router-id: 10.1.0.4}
                vnet: {prefixes: [10.1.0.0/16]}
                peers: [{name: sdwan, address: 10.1.1.4, asn: 65001, password: hunter2}]
                """);

        assertEquals(0, cairn("check-config", "--show-secrets", file.toString()));
        assertTrue(out.toString().contains("    password: hunter2\n"), out.toString());
    }

    @Test
    void invalidConfigPrintsEveryProblemOnStderrAndExitsOne() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                node: {id: a, router-id: 10.1.0.4, flavour: vanilla}
                vnet: {prefixes: [10.1.0.1/16]}
                """);

        assertEquals(1, cairn("check-config", file.toString()));
        assertEquals("", out.toString());
        assertEquals(file + ": node.flavour: unknown key (known: id, router-id, asn, listen)\n"
                + file + ": vnet.prefixes[0]: '10.1.0.1/16' has host bits set; did you mean 10.1.0.0/16?\n"
                + file + ": not valid (2 problems)\n", err.toString());
    }

    @Test
    void missingFileIsOneProblem() {
        Path file = dir.resolve("nope.yaml");

        assertEquals(1, cairn("check-config", file.toString()));
        assertEquals(file + ": cannot read: no such file\n" + file + ": not valid (1 problem)\n", err.toString());
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertEquals(2, cairn("check-config"));
        assertTrue(err.toString().startsWith("Missing required parameter: 'FILE'"), err.toString());
    }
}
