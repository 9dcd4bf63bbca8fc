package io.cairn.node.cli;

import io.cairn.node.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command: the canonical scenario converges and says what each side learned. */
class DemoCommandTest {

    @Test
    void everySideLearnsWhatTheCanonicalScenarioPromises() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        assertEquals(0, cli.execute("demo"), err.toString());

        String text = out.toString();
        String node = section(text, "The route server learned:");
        assertLine(node, "10.250.0.0/16", "127.0.0.2", "65001");
        assertLine(node, "0.0.0.0/0", "127.0.0.3", "65002");
        String sdwan = section(text, "The SD-WAN NVA learned:");
        assertLine(sdwan, "10.1.0.0/16", "127.0.0.1", "65515");
        assertLine(sdwan, "0.0.0.0/0", "127.0.0.3", "65002");
        String firewall = section(text, "The firewall NVA learned:");
        assertLine(firewall, "10.1.0.0/16", "127.0.0.1", "65515");
        assertLine(firewall, "10.250.0.0/16", "127.0.0.2", "65001");
        String sdn = section(text, "The SDN (file driver, ");
        assertTrue(Pattern.compile("(?m)^\\s+10\\.250\\.0\\.0/16\\s+via 127\\.0\\.0\\.2$").matcher(sdn).find(), sdn);
        assertTrue(Pattern.compile("(?m)^\\s+0\\.0\\.0\\.0/0\\s+via 127\\.0\\.0\\.3$").matcher(sdn).find(), sdn);
        assertTrue(!sdn.contains("10.1.0.0/16"), "the VNet itself is never programmed into the SDN:\n" + sdn);
    }

    private static String section(String text, String heading) {
        int start = text.indexOf(heading);
        assertTrue(start >= 0, "no '" + heading + "' in:\n" + text);
        int end = text.indexOf("\n\n", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** A route line: prefix, next hop and AS path exactly, as the transparent route server keeps them. */
    private static void assertLine(String section, String prefix, String nextHop, String asPath) {
        Pattern line = Pattern.compile("(?m)^\\s+" + Pattern.quote(prefix) + "\\s+via " + Pattern.quote(nextHop)
                + "\\s+AS path " + Pattern.quote(asPath) + "\\s");
        assertTrue(line.matcher(section).find(), prefix + " via " + nextHop + " path " + asPath + " missing in:\n" + section);
    }
}
