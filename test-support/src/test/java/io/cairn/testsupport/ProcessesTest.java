package io.cairn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProcessesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** As the callers use: init may take a second or two to reap a killed grandchild. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** A shell's exit status when a signal ended it: 128 + the signal number. */
    private static final int BY_SIGTERM = 128 + 15;
    private static final int BY_SIGKILL = 128 + 9;

    @Test
    void stopTreeEndsWhatTheChildForkedWithSigterm() throws Exception {
        assertTreeEnds("sleep 300 & wait", root -> Processes.stopTree(root, GRACE), BY_SIGTERM);
    }

    @Test
    void stopTreeKillsProcessesThatIgnoreSigterm() throws Exception {
        // an ignored signal stays ignored in the forked sleep too
        assertTreeEnds("trap '' TERM; sleep 300 & wait", root -> Processes.stopTree(root, GRACE), BY_SIGKILL);
    }

    @Test
    void killTreeSendsSigkillRightAway() throws Exception {
        assertTreeEnds("sleep 300 & wait", root -> Processes.killTree(root, GRACE), BY_SIGKILL);
    }

    /**
     * Runs {@code sh -c script} (which forks one child), stops the tree with {@code stop}, and
     * asserts that nothing survived and which signal ended the shell.
     */
    private static void assertTreeEnds(String script, Function<ProcessHandle, List<ProcessHandle>> stop,
            int shellStatus) throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", script).start();
        Await.until("the shell to fork", WAIT, () -> shell.descendants().findAny().isPresent());
        List<ProcessHandle> tree = Processes.tree(shell.toHandle());
        assertEquals(2, tree.size(), tree.toString());

        assertEquals(List.of(), stop.apply(shell.toHandle()), "survivors");
        tree.forEach(h -> assertFalse(h.isAlive(), "process " + h.pid() + " still runs"));
        assertTrue(shell.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the shell did not exit");
        assertEquals(shellStatus, shell.exitValue());
    }
}
