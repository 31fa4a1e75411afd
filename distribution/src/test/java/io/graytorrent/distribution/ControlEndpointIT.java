package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.graytorrent.control.ControlEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/** The control endpoint opens on loopback with the framework's token, and lets no one in without it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ControlEndpointIT extends ServerContainerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    private ControlEndpoint endpoint;

    @Test
    public void theServiceNamesTheLoopbackPortItListensOn() {
        ServiceReference<ControlEndpoint> reference = context.getServiceReference(ControlEndpoint.class);
        int port = (Integer) reference.getProperty(ControlEndpoint.PORT);
        assertTrue("port " + port, port > 0);
        assertEquals(port, endpoint.port());
        assertEquals("127.0.0.1", reference.getProperty(ControlEndpoint.ADDRESS));
    }

    @Test
    public void statusAnswersOnlyARequestCarryingTheToken() throws Exception {
        String token = context.getProperty(ControlEndpoint.TOKEN_PROPERTY);

        HttpResponse<String> allowed = status("Bearer " + token);
        assertEquals(allowed.body(), 200, allowed.statusCode());
        assertEquals("{\"status\":\"running\"}", allowed.body());

        assertEquals(401, status(null).statusCode());
        assertEquals(401, status("Bearer " + "0".repeat(token.length())).statusCode());
    }

    private HttpResponse<String> status(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/api/v1/status"))
                .timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
