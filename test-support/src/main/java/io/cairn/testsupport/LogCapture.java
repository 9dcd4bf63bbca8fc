package io.cairn.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs during a test, as "LEVEL message" lines: what an operator reads. Needs
 * logback-classic on the test classpath (every module logs through it).
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** The lines so far that contain {@code text}, in order. */
    public List<String> linesWith(String text) {
        synchronized (appender) { // doAppend holds the same lock while it adds
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage())
                    .filter(line -> line.contains(text)).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
