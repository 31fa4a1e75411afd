package io.graytorrent.portmap.internal;

import io.graytorrent.api.PortMappingStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PortMapper} in a JVM of its own, for a test that runs it inside a network namespace:
 * {@code PORT upnp|natpmp LEASE_SECONDS}. Prints {@code status PROTOCOL|GATEWAY|EXTERNAL|MAPPINGS|ERROR|RENEWALS}
 * whenever that changes and {@code external ADDRESS} for each address learnt; {@code port N} moves our port to N,
 * as a listen port reconfigured at run time does; on {@code stop} (or end of input) deletes its mappings, prints
 * {@code closed} and exits.
 */
public final class PortMapperMain {
    private PortMapperMain() {
    }

    public static void main(String[] args) throws Exception {
        AtomicInteger port = new AtomicInteger(Integer.parseInt(args[0]));
        boolean upnp = args[1].equals("upnp");
        PortMapper mapper = new PortMapper(new PortMapper.Settings(upnp, !upnp, Long.parseLong(args[2]),
                Duration.ofSeconds(2), null, Duration.ofSeconds(10)), port::get,
                address -> say("external " + address.getHostAddress()));
        mapper.start();
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
        String[] last = {""};
        printer.scheduleWithFixedDelay(() -> {
            PortMappingStatus s = mapper.status();
            String line = "status " + s.protocol() + "|" + s.gateway() + "|" + s.externalAddress() + "|" + s.mappings()
                    + "|" + s.lastError() + "|" + mapper.renewals();
            if (!line.equals(last[0])) {
                last[0] = line;
                say(line);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null && !command.equals("stop")) {
            if (command.startsWith("port ")) {
                port.set(Integer.parseInt(command.substring("port ".length())));
            }
        }
        printer.shutdownNow();
        mapper.close(Duration.ofSeconds(10));
        say("closed");
        System.exit(0);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
