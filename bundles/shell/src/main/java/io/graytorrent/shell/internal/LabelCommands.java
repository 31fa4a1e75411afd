package io.graytorrent.shell.internal;

import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentLabels;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code label REF +NAME -NAME...}: adds and removes a torrent's labels. */
@Component(service = LabelCommands.class, property = {
    "osgi.command.scope=bt",
    "osgi.command.function=label"
})
public final class LabelCommands {
    static final String USAGE = "label REF [+NAME|-NAME]...";

    @Reference
    private TorrentLabels labels;

    @Descriptor("add (+NAME) and remove (-NAME) a torrent's labels, or show them: label REF [+NAME|-NAME]...")
    public String label(@Descriptor("REF [+NAME|-NAME]...") String... args) throws TorrentException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        Set<String> add = new LinkedHashSet<>();
        Set<String> remove = new LinkedHashSet<>();
        for (int i = 1; i < args.length; i++) {
            String change = args[i];
            if (change.length() > 1 && change.charAt(0) == '+') {
                add.add(change.substring(1));
            } else if (change.length() > 1 && change.charAt(0) == '-') {
                remove.add(change.substring(1));
            } else {
                throw new IllegalArgumentException("each change is +NAME or -NAME, not \"" + change + "\"; usage: " + USAGE);
            }
        }
        Set<String> now = labels.change(args[0], add, remove);
        return "torrent " + args[0] + " labels: " + (now.isEmpty() ? "none" : String.join(", ", now));
    }
}
