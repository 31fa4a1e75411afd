package io.graytorrent.core.internal.watch;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent watch folder",
        description = "A directory whose .torrent and .magnet files are added, then renamed *.added or *.invalid")
public @interface WatchConfiguration {

    @AttributeDefinition(description = "The directory watched; empty = off")
    String watchDirectory() default "";

    @AttributeDefinition(description = "Where the torrents added from it save their data; empty = the engine's default")
    String saveDirectory() default "";

    @AttributeDefinition(description = "Add them stopped")
    boolean paused() default false;

    @AttributeDefinition(description = "Seconds between two looks at the directory; a file is read once it is"
            + " unchanged (size and time) from one look to the next")
    int pollSeconds() default 2;
}
