package io.cairn.node.admin;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.AdminConfig;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A node whose admin API answers but which is not started yet (no BGP listener, so not ready),
 * as between {@code OperatorSurface.start} and {@code CairnNode.start} in {@code cairn run}.
 */
public final class UnstartedNode implements AutoCloseable {

    public final CairnNode node;
    private final AdminServer admin;

    private UnstartedNode(CairnNode node, AdminServer admin) {
        this.node = node;
        this.admin = admin;
    }

    public static UnstartedNode create() throws Exception {
        CairnNode node = new CairnNode(65515, 0x0A010004L, new InetSocketAddress(RunningNode.NODE, 0),
                List.of(Prefix.parse("10.1.0.0/16")), List.of());
        try {
            return new UnstartedNode(node, AdminServer.start(new AdminConfig(new InetSocketAddress(RunningNode.NODE, 0), null),
                    new AdminApi(node, "a").router()));
        } catch (Exception e) {
            node.close();
            throw e;
        }
    }

    /** "127.0.0.1:PORT", as {@code --admin} takes it. */
    public String admin() {
        return NetUtil.toSocketAddressString(admin.boundAddress());
    }

    @Override
    public void close() {
        admin.close();
        node.close();
    }
}
