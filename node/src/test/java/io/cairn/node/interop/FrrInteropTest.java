package io.cairn.node.interop;

/**
 * Cairn against FRR bgpd ({@link RouteServerInteropContract}); S is GoBGP. FRR's only way to
 * drop the 4-octet AS capability, dont-capability-negotiate, drops MP-BGP too: that test does not apply.
 */
class FrrInteropTest extends RouteServerInteropContract {

    @Override
    protected RouterDaemon router(DaemonSpec spec) {
        return new FrrDaemon(spec);
    }

    @Override
    protected int block() {
        return 102;
    }
}
