package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.graytorrent.control.ControlEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The web UI's files come out of the control bundle in the framework (bundle class loader, not a
 * class path), and {@code webUi=false} in the endpoint's configuration takes them away, API intact.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebUiSwitchIT extends ServerContainerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    private ConfigurationAdmin configurations;

    @Test
    public void theBundleServesThePageUntilWebUiIsTurnedOff() throws Exception {
        ServiceTracker<ControlEndpoint, ControlEndpoint> endpoints = new ServiceTracker<>(context, ControlEndpoint.class, null);
        endpoints.open();
        Configuration configuration = configurations.getConfiguration("io.graytorrent.control", "?");
        try {
            int port = endpoints.waitForService(TIMEOUT.toMillis()).port();
            HttpResponse<String> page = get(port, "/", null);
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(page.body().contains("js/app.js"));
            assertEquals(200, get(port, "/js/app.js", null).statusCode());

            Hashtable<String, Object> webUiOff = new Hashtable<>();
            webUiOff.put("webUi", false);
            configuration.update(webUiOff);
            // the component restarts with the new configuration, on a new port (0: any free one)
            int restarted = port;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (restarted == port && System.nanoTime() < deadline) {
                Thread.sleep(50);
                ControlEndpoint endpoint = endpoints.getService();
                restarted = endpoint == null ? port : endpoint.port();
            }
            assertNotEquals("the endpoint restarted", port, restarted);
            assertEquals(404, get(restarted, "/", null).statusCode());
            assertEquals(404, get(restarted, "/js/app.js", null).statusCode());
            String token = context.getProperty(ControlEndpoint.TOKEN_PROPERTY);
            assertEquals("the API stays", 200, get(restarted, "/api/v1/status", "Bearer " + token).statusCode());
        } finally {
            configuration.delete();
            endpoints.close();
        }
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
