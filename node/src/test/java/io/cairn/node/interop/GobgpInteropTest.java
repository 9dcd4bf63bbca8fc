package io.cairn.node.interop;

/**
 * Cairn against GoBGP ({@link RouteServerInteropContract}); S is BIRD, so S is not GoBGP too.
 * GoBGP cannot turn the 4-octet AS capability off, so that test does not apply.
 */
class GobgpInteropTest extends RouteServerInteropContract {

    @Override
    protected RouterDaemon router(DaemonSpec spec) {
        return new GobgpDaemon(spec);
    }

    @Override
    protected RouterDaemon otherNva(DaemonSpec spec) {
        return new BirdDaemon(spec);
    }

    @Override
    protected int block() {
        return 103;
    }
}
