package io.cairn.node.cluster;

import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnException;
import io.cairn.sdn.file.FileDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The file driver, with every write it is asked for recorded with its epoch (refused ones too). */
final class RecordingSdn implements SdnDriver {

    /** One apply call: the writer's epoch and what it would change. */
    record Write(String node, long epoch, RouteDiff diff) {
    }

    private final String node;
    private final FileDriver file;
    private final List<Write> writes;

    /** @param writes shared by the nodes of one test, so the order across them shows */
    RecordingSdn(String node, Path file, List<Write> writes) {
        this.node = node;
        this.file = new FileDriver(file);
        this.writes = writes;
    }

    static List<Write> log() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public RouteTable read() throws SdnException {
        return file.read();
    }

    @Override
    public void apply(long epoch, RouteDiff diff) throws SdnException {
        writes.add(new Write(node, epoch, diff));
        file.apply(epoch, diff);
    }

    @Override
    public void close() {
        file.close();
    }
}
