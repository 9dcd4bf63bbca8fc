package io.cairn.node.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads and validates a node's YAML config. Validation is complete: every problem in the file is
 * reported at once, in a {@link ConfigException}, each naming its key path.
 *
 * <p>The YAML is read into a tree and checked key by key ({@link ConfigReader}) rather than
 * bound to the records by Jackson, because data binding stops at the first problem.
 */
public final class ConfigLoader {

    // Duplicate keys are an error: with "last one wins" a second "asn:" would silently override.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {
    }

    /** Reads and validates {@code file}; problems are reported under the file's name as given. */
    public static CairnConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: no such file"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e));
        }
        return parse(text, file.toString());
    }

    /** Validates {@code yaml}; {@code sourceName} says where it came from in messages. */
    public static CairnConfig parse(String yaml, String sourceName) throws ConfigException {
        Problems problems = new Problems();
        CairnConfig config = new ConfigReader(problems).read(readTree(yaml, sourceName));
        if (!problems.isEmpty()) {
            throw new ConfigException(sourceName, problems.lines());
        }
        return config;
    }

    /** The YAML tree, null for an empty document. Syntax errors are fatal: no tree, no keys. */
    private static JsonNode readTree(String yaml, String sourceName) throws ConfigException {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonNode tree = YAML.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ConfigException(sourceName, List.of(
                        at(parser.currentLocation().getLineNr(), parser.currentLocation().getColumnNr())
                                + "a second YAML document; a config file holds exactly one"));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new ConfigException(sourceName, List.of(syntaxError(e)));
        } catch (IOException e) {
            throw new AssertionError("reading a String cannot fail", e);
        }
    }

    /** "line 4, column 2: YAML syntax error: ..." without SnakeYAML's multi-line excerpt. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
            Mark mark = y.getProblemMark();
            String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
            // SnakeYAML marks count from 0, editors from 1.
            return at(mark.getLine() + 1, mark.getColumn() + 1) + "YAML syntax error: " + y.getProblem() + context;
        }
        String message = e.getOriginalMessage();
        if (message.startsWith("Duplicate field ")) {
            message = "duplicate key " + message.substring("Duplicate field ".length());
        }
        return at(e.getLocation().getLineNr(), e.getLocation().getColumnNr()) + message;
    }

    private static String at(int line, int column) {
        return "line " + line + ", column " + column + ": ";
    }
}
