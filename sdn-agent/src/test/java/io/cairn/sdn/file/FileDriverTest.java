package io.cairn.sdn.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.Routes;
import io.cairn.sdn.SdnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDriverTest {

    @TempDir
    Path dir;

    private static final RouteTable CANONICAL = Routes.of(
            "10.250.0.0/16", "10.1.1.4",
            "0.0.0.0/0", "10.1.2.4 10.1.2.5",
            "2001:db8::/32", "fd00::4");

    @Test
    void missingFileReadsAsEmpty() throws Exception {
        assertEquals(RouteTable.EMPTY, new FileDriver(dir.resolve("routes.json")).read());
    }

    @Test
    void writesTheDocumentedFormatAndReadsItBack() throws Exception {
        FileDriver driver = new FileDriver(dir.resolve("routes.json"));
        driver.apply(3, RouteDiff.between(RouteTable.EMPTY, CANONICAL));

        assertEquals(CANONICAL, driver.read());
        JsonNode doc = new ObjectMapper().readTree(dir.resolve("routes.json").toFile());
        assertEquals(3, doc.get("epoch").longValue());
        assertEquals("10.1.1.4", doc.at("/routes/10.250.0.0~116/0").textValue());
        assertEquals("[\"10.1.2.4\",\"10.1.2.5\"]", doc.at("/routes/0.0.0.0~10").toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("routes.json", "routes.json.lock"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temporary file is left behind");
        }
    }

    @Test
    void appliesUpsertsAndRemovalsOnTopOfWhatIsThere() throws Exception {
        FileDriver driver = new FileDriver(dir.resolve("routes.json"));
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL));
        RouteTable next = Routes.of("10.250.0.0/16", "10.1.1.5", "0.0.0.0/0", "10.1.2.4 10.1.2.5");

        driver.apply(1, RouteDiff.between(CANONICAL, next));

        assertEquals(next, driver.read());
    }

    @Test
    void anEditInPlaceRightAfterAWriteIsSeen() throws Exception {
        Path file = dir.resolve("routes.json");
        FileDriver driver = new FileDriver(file);
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, Routes.of("10.250.0.0/16", "10.1.1.4")));
        String written = Files.readString(file);
        String edited = written.replace("10.1.1.4", "10.1.1.5");
        assertEquals(written.length(), edited.length());

        Files.writeString(file, edited); // same inode, same size, within the same clock tick

        assertEquals(Routes.of("10.250.0.0/16", "10.1.1.5"), driver.read());
    }

    @Test
    void lowerEpochIsFencedAndTheFileIsUntouched() throws Exception {
        Path file = dir.resolve("routes.json");
        FileDriver newLeader = new FileDriver(file);
        newLeader.apply(5, RouteDiff.between(RouteTable.EMPTY, CANONICAL));
        byte[] before = Files.readAllBytes(file);

        FencedException e = assertThrows(FencedException.class, () -> new FileDriver(file).apply(4,
                new RouteDiff(Map.of(), Set.of(IpPrefix.parse("0.0.0.0/0")))));

        assertEquals(4, e.writerEpoch());
        assertEquals(5, e.storedEpoch());
        assertFalse(e.retryable());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void anEmptyDiffWithAHigherEpochStoresTheEpoch() throws Exception {
        Path file = dir.resolve("routes.json");
        FileDriver driver = new FileDriver(file);
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL));

        driver.apply(2, RouteDiff.between(CANONICAL, CANONICAL));

        assertEquals(2, new ObjectMapper().readTree(file.toFile()).get("epoch").longValue());
        assertEquals(CANONICAL, driver.read());
        assertThrows(FencedException.class, () -> driver.apply(1, RouteDiff.between(CANONICAL, CANONICAL)));
    }

    @Test
    void aCorruptFileIsANonRetryableErrorNamingItAndIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("routes.json");
        for (String bad : new String[] {"{\"epoch\": 1, \"routes\": {\"10.0.0.0/8\": [", "[]",
                "{\"epoch\": 1, \"routes\": {\"10.0.0.0/8\": [\"gateway.example\"]}}",
                "{\"epoch\": -1, \"routes\": {}}", "{\"epoch\": 1, \"routes\": {}, \"extra\": 1}"}) {
            Files.writeString(file, bad);
            FileDriver driver = new FileDriver(file);

            SdnException read = assertThrows(SdnException.class, driver::read, bad);
            SdnException write = assertThrows(SdnException.class,
                    () -> driver.apply(9, RouteDiff.between(RouteTable.EMPTY, CANONICAL)), bad);

            for (SdnException e : new SdnException[] {read, write}) {
                assertFalse(e.retryable(), bad);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("not a Cairn route file"), e.getMessage());
            }
            assertEquals(bad, Files.readString(file));
        }
    }

    @Test
    void aMissingDirectoryIsRetryable() {
        FileDriver driver = new FileDriver(dir.resolve("not-yet-mounted/routes.json"));

        SdnException e = assertThrows(SdnException.class,
                () -> driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL)));

        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("not-yet-mounted"), e.getMessage());
    }
}
