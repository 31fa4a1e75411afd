package io.graytorrent.core.internal.hook;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent hooks",
        description = "Programs run when a torrent completes or is added, never through a shell")
public @interface HookConfiguration {

    @AttributeDefinition(description = "Program and its arguments run when a torrent completes its download; none = off")
    String[] completedCommand() default {};

    @AttributeDefinition(description = "Program and its arguments run when a torrent is added; none = off")
    String[] addedCommand() default {};

    @AttributeDefinition(description = "Seconds a hook may run before it is killed")
    int timeoutSeconds() default 60;

    @AttributeDefinition(description = "Hooks run at once; more wait, up to 64, and further ones are dropped with a warning")
    int maxConcurrent() default 2;
}
