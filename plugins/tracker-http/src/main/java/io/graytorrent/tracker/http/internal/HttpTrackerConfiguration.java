package io.graytorrent.tracker.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent HTTP tracker client", description = "BEP 3 / 48 announce and scrape over http and https")
public @interface HttpTrackerConfiguration {
    @AttributeDefinition(description = "Seconds to wait for a tracker's whole reply")
    int timeoutSeconds() default 30;

    @AttributeDefinition(description = "Largest reply body accepted, in bytes")
    int maxReplyBytes() default 1 << 20;

    @AttributeDefinition(description = "Redirects followed per request")
    int maxRedirects() default 5;

}
