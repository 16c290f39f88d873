package org.carnet.demo;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import org.carnet.fhir.Bundles;
import org.carnet.record.RecordVault;
import org.carnet.record.SearchQuery;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/** Loads the demo patients once, into an empty store, through the same transaction path as any client. */
@Component
@ConditionalOnProperty(name = "carnet.demo.seed", havingValue = "true")
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final RecordVault vault;
    private final Bundles bundles;

    DemoData(RecordVault vault, Bundles bundles) {
        this.vault = vault;
        this.bundles = bundles;
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadIntoEmptyStore() throws IOException {
        if (!vault.search(new SearchQuery("Patient", java.util.List.of(), java.util.List.of())).isEmpty()) {
            return;
        }
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json");
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        FhirContext context = vault.fhirContext();
        int resources = 0;
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                Bundle bundle = context.newJsonParser().parseResource(Bundle.class, in);
                resources += bundles.process(bundle).getEntry().size();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read demo file " + file.getFilename(), e);
            }
        }
        log.info("Demo data loaded: {} bundles, {} entries (carnet.demo.seed=false to skip)", files.length, resources);
    }
}
