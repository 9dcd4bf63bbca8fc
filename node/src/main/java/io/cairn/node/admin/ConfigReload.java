package io.cairn.node.admin;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.Transport;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigException;
import io.cairn.node.config.ConfigLoader;
import io.cairn.node.config.PeerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Re-reads the node's config file and applies the peer changes: new peers start, removed ones
 * get Cease / Peer De-configured, a peer whose settings changed is restarted, and every other
 * session is left alone. A config with any problem changes nothing. Other sections are only
 * read at start; a change there is reported as needing a restart.
 */
public final class ConfigReload {

    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final Path file;
    private final CairnNode node;
    private final Runnable onPeersChanged;
    private CairnConfig current;

    /** @param onPeersChanged told after peers were added or removed (metrics follow the peers) */
    public ConfigReload(Path file, CairnConfig current, CairnNode node, Runnable onPeersChanged) {
        this.file = file;
        this.current = current;
        this.node = node;
        this.onPeersChanged = onPeersChanged;
    }

    /** What a reload did, by peer name; {@code restartRequired} names sections read only at start. */
    public record Result(List<String> added, List<String> removed, List<String> changed, List<String> unchanged,
                         List<String> restartRequired) {
    }

    public synchronized Result reload() {
        CairnConfig next;
        try {
            next = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, file + ": not valid; nothing changed", e.problems());
        }
        Map<String, PeerConfig> before = byName(current.peers());
        Map<String, PeerConfig> after = byName(next.peers());
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(removed::add);
        after.forEach((name, pc) -> {
            PeerConfig old = before.get(name);
            (old == null ? added : old.equals(pc) ? unchanged : changed).add(name);
        });
        checkMd5(next, added, changed);

        // Removals first: a new peer may take over a removed one's address.
        for (String name : concat(removed, changed)) {
            Peer p = node.peer(name);
            if (p != null) {
                node.removePeer(p);
            }
        }
        for (String name : concat(changed, added)) {
            node.addPeer(after.get(name));
        }
        current = next;
        Result result = new Result(added, removed, changed, unchanged, restartRequired(next));
        log.info("config reloaded from {}: added {}, removed {}, restarted {}, unchanged {}{}", file, added, removed,
                changed, unchanged.size(), result.restartRequired().isEmpty() ? ""
                        : "; changes to " + result.restartRequired() + " take effect after a restart");
        if (!added.isEmpty() || !removed.isEmpty() || !changed.isEmpty()) {
            onPeersChanged.run();
        }
        return result;
    }

    /** Found before anything changes, so an MD5 peer the transport cannot serve leaves the node as it was. */
    private static void checkMd5(CairnConfig next, List<String> added, List<String> changed) {
        if (Transport.best().supportsMd5()) {
            return;
        }
        List<String> problems = next.peers().stream()
                .filter(p -> p.password() != null && (added.contains(p.name()) || changed.contains(p.name())))
                .map(p -> "peers." + p.name() + ".password: " + Transport.md5UnavailableReason())
                .toList();
        if (!problems.isEmpty()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "cannot apply; nothing changed", problems);
        }
    }

    private List<String> restartRequired(CairnConfig next) {
        List<String> sections = new ArrayList<>();
        addIfChanged(sections, "node", CairnConfig::node, next);
        addIfChanged(sections, "vnet", CairnConfig::vnet, next);
        addIfChanged(sections, "admin", CairnConfig::admin, next);
        addIfChanged(sections, "rib", CairnConfig::rib, next);
        addIfChanged(sections, "sdn", CairnConfig::sdn, next);
        addIfChanged(sections, "cluster", CairnConfig::cluster, next);
        return sections;
    }

    private void addIfChanged(List<String> sections, String name, Function<CairnConfig, Object> section, CairnConfig next) {
        if (!Objects.equals(section.apply(current), section.apply(next))) {
            sections.add(name);
        }
    }

    private static Map<String, PeerConfig> byName(List<PeerConfig> peers) {
        return peers.stream().collect(Collectors.toMap(PeerConfig::name, p -> p, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
