package io.cairn.cluster.journal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal path that cannot be used is a clear error naming the path and the problem. */
class JournalOpenErrorsTest {
    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();

    @Test
    void aFileInPlaceOfTheDirectory() throws Exception {
        Path file = Files.createFile(dir.resolve("journal"));
        assertOpenFails(file, "is not a directory");
    }

    @Test
    void aMissingParent() {
        assertOpenFails(dir.resolve("absent").resolve("journal"), "its parent " + dir.resolve("absent") + " does not exist");
    }

    @Test
    void aDirectoryThatCannotBeCreated() {
        assertOpenFails(Path.of("/proc/cairn-journal"), "cannot be created");
    }

    @Test
    void aDirectoryOnAReadOnlyFileSystem() {
        Path readOnly = Path.of("/proc/self");
        assumeFalse(Files.isWritable(readOnly), "/proc/self is writable here");
        assertOpenFails(readOnly, "not readable and writable");
    }

    @Test
    void aDirectoryWithoutWritePermission() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root: permissions do not stop root, so a read-only directory cannot be simulated "
                        + "(the read-only file system case covers the error)");
        Path journal = Files.createDirectory(dir.resolve("journal"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("r-xr-xr-x")));
        assertOpenFails(journal, "not readable and writable");
    }

    private void assertOpenFails(Path path, String problem) {
        JournalOpenException e = assertThrows(JournalOpenException.class, () -> Journal.open(path, fixture.options()));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }
}
