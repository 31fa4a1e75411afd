package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.graytorrent.control.ControlEndpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The server's bundle set starts whole, and Declarative Services wires every component of ours. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerBundlesIT extends ServerContainerTest {
    private static final Map<Integer, String> BUNDLE_STATES = Map.of(Bundle.INSTALLED, "INSTALLED",
            Bundle.RESOLVED, "RESOLVED", Bundle.STARTING, "STARTING", Bundle.STOPPING, "STOPPING",
            Bundle.ACTIVE, "ACTIVE", Bundle.UNINSTALLED, "UNINSTALLED");
    private static final Map<Integer, String> COMPONENT_STATES = Map.of(
            ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, "UNSATISFIED_CONFIGURATION",
            ComponentConfigurationDTO.UNSATISFIED_REFERENCE, "UNSATISFIED_REFERENCE",
            ComponentConfigurationDTO.SATISFIED, "SATISFIED", ComponentConfigurationDTO.ACTIVE, "ACTIVE",
            ComponentConfigurationDTO.FAILED_ACTIVATION, "FAILED_ACTIVATION");

    @Inject
    private ServiceComponentRuntime runtime;
    /** Injected to wait for Declarative Services to settle: the last of our components registers it. */
    @Inject
    private ControlEndpoint endpoint;

    @Test
    public void everyBundleOfTheServerIsActiveAndEveryFragmentResolved() {
        for (String group : DistributionOptions.SERVER_GROUPS) {
            for (Path jar : DistributionOptions.bundles(group)) {
                Bundle bundle = context.getBundle(jar.toUri().toString());
                assertNotNull(jar + " is installed", bundle);
                boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                assertEquals(group + "/" + jar.getFileName(), BUNDLE_STATES.get(fragment ? Bundle.RESOLVED : Bundle.ACTIVE),
                        BUNDLE_STATES.get(bundle.getState()));
            }
        }
    }

    @Test
    public void everyComponentOfOursIsSatisfiedAndTheImmediateOnesActive() {
        Bundle[] ours = Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getSymbolicName().startsWith("io.graytorrent."))
                .toArray(Bundle[]::new);
        Collection<ComponentDescriptionDTO> descriptions = runtime.getComponentDescriptionDTOs(ours);
        List<String> names = descriptions.stream().map(description -> description.name).sorted().toList();
        assertTrue("components found: " + names, names.containsAll(List.of(
                "io.graytorrent.control.internal.ControlComponent", "io.graytorrent.shell.internal.MetainfoCommands")));

        for (ComponentDescriptionDTO description : descriptions) {
            assertTrue(description.name + " is enabled", runtime.isComponentEnabled(description));
            Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(description);
            // a component that requires its configuration (the IP blocklist) exists only while its .cfg does
            boolean optional = !"require".equals(description.configurationPolicy);
            assertFalse(description.name + " has a configuration", optional && configurations.isEmpty());
            for (ComponentConfigurationDTO configuration : configurations) {
                int expected = description.immediate ? ComponentConfigurationDTO.ACTIVE : ComponentConfigurationDTO.SATISFIED;
                // a delayed component is ACTIVE once someone has used it, SATISFIED before
                boolean usable = configuration.state == expected || configuration.state == ComponentConfigurationDTO.ACTIVE;
                assertTrue(describe(configuration), usable);
            }
        }
    }

    private static String describe(ComponentConfigurationDTO configuration) {
        String unsatisfied = Arrays.stream(configuration.unsatisfiedReferences)
                .map(reference -> reference.name + " " + reference.target)
                .collect(Collectors.joining(", "));
        return configuration.description.name + " is " + COMPONENT_STATES.get(configuration.state)
                + (unsatisfied.isEmpty() ? "" : ", missing " + unsatisfied)
                + (configuration.failure == null ? "" : ", failed: " + configuration.failure);
    }
}
