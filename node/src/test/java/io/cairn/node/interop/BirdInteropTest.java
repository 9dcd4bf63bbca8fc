package io.cairn.node.interop;

import org.junit.jupiter.api.Test;

/** Cairn against BIRD 2 ({@link RouteServerInteropContract}); S is GoBGP. BIRD can do everything. */
class BirdInteropTest extends RouteServerInteropContract {

    @Override
    protected RouterDaemon router(DaemonSpec spec) {
        return new BirdDaemon(spec);
    }

    @Override
    protected int block() {
        return 101;
    }

    @Test
    @Override
    protected void routerWithoutFourOctetAsInteroperates() throws Exception {
        super.routerWithoutFourOctetAsInteroperates();
    }
}
