package io.cairn.node.interop;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

/** Cairn against ExaBGP 4.2 ({@link RouteServerInteropContract}); S is GoBGP. */
class ExabgpInteropTest extends RouteServerInteropContract {

    @Override
    protected RouterDaemon router(DaemonSpec spec) {
        return new ExabgpDaemon(spec);
    }

    @Override
    protected int block() {
        return 104;
    }

    /** ExaBGP hands the raw UPDATE to its API: AS_TRANS can be checked on the wire. */
    @Override
    protected Optional<List<Long>> twoOctetAsPathOnWire(RouterDaemon router, String prefix) {
        return ((ExabgpDaemon) router).wireAsPath(prefix);
    }

    @Test
    @Override
    protected void routerWithoutFourOctetAsInteroperates() throws Exception {
        super.routerWithoutFourOctetAsInteroperates();
    }
}
