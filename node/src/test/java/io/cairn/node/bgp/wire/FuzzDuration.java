package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets the build's {@code -Djazzer.max_duration=30s} (parent pom) or {@code =10m} (on demand)
 * decide how long a fuzz test fuzzes. jazzer-junit 0.24 takes the time from
 * {@code @FuzzTest(maxDuration)}, a constant, and appends the libFuzzer arguments given as
 * configuration parameters {@code jazzer.internal.arg.N} (argument 0 being argv[0]) after it,
 * where the later {@code -max_total_time} wins. JUnit reads configuration parameters from
 * system properties, so setting them before the fuzz test starts is enough. Only matters when
 * fuzzing (JAZZER_FUZZ set); regression runs ignore it. Tied to jazzer-junit 0.24's internals:
 * check it when upgrading Jazzer (the fuzz test prints "-max_total_time" in its libFuzzer banner).
 */
public final class FuzzDuration implements BeforeAllCallback {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");

    @Override
    public void beforeAll(ExtensionContext context) {
        String duration = System.getProperty("jazzer.max_duration");
        if (duration == null || duration.isBlank() || System.getProperty("jazzer.internal.arg.0") != null) {
            return;
        }
        System.setProperty("jazzer.internal.arg.0", "cairn-fuzz");
        System.setProperty("jazzer.internal.arg.1", "-max_total_time=" + seconds(duration));
    }

    static long seconds(String duration) {
        Matcher m = DURATION.matcher(duration.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("jazzer.max_duration '" + duration + "' is not like 30s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "h" -> n * 3600;
            case "m" -> n * 60;
            default -> n;
        };
    }
}
