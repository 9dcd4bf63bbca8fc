package io.cairn.node;

import java.util.Optional;
import java.util.Set;

/**
 * The log format chosen without rebuilding: {@code CAIRN_LOG_FORMAT} in the environment, or the
 * system property {@code cairn.log.format} (which wins, as in logback.xml); "text" by default,
 * "json" for one JSON object per line. logback.xml makes the choice; this class only refuses a
 * value it would not know, which logback itself would quietly treat as "text".
 */
final class LogFormat {

    static final String PROPERTY = "cairn.log.format";
    static final String ENVIRONMENT = "CAIRN_LOG_FORMAT";
    private static final Set<String> KNOWN = Set.of("text", "json");

    private LogFormat() {
    }

    /** What is wrong with the chosen format, if anything; an empty or unset value means "text". */
    static Optional<String> problem(String property, String environment) {
        String name = property != null ? "-D" + PROPERTY : ENVIRONMENT;
        String value = property != null ? property : environment;
        if (value == null || value.isEmpty() || KNOWN.contains(value)) {
            return Optional.empty();
        }
        return Optional.of(name + " must be \"text\" or \"json\", not \"" + value + "\"");
    }

    static Optional<String> problem() {
        return problem(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }
}
