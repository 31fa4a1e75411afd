package io.graytorrent.testkit;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component's configuration as Configuration Admin hands it over, for tests that drive a component by hand. */
public final class Configurations {
    private Configurations() {
    }

    /** The annotation {@code type} with its defaults, except the given {@code values} by method name. */
    public static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("annotationType") ? type
                        : values.getOrDefault(method.getName(), method.getDefaultValue())));
    }
}
