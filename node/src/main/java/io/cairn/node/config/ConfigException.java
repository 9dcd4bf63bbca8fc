package io.cairn.node.config;

import java.util.List;

/**
 * A config that cannot be used, with every problem found in it. Each problem names the key path
 * and what is wrong, e.g. {@code peers[1].address: duplicate of peers[0] (10.1.1.4)}; YAML that
 * does not parse gives a single problem starting with its line and column.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(render(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** Where the config came from: the file name, or what the caller called it. */
    public String source() {
        return source;
    }

    /** One line per problem, "key.path: problem", in the order of the document. */
    public List<String> problems() {
        return problems;
    }

    /** One line per problem, each prefixed with the source, like a compiler's messages. */
    private static String render(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        for (String p : problems) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(source).append(": ").append(p);
        }
        return sb.toString();
    }
}
