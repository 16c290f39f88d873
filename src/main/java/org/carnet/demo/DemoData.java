package org.carnet.demo;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.carnet.access.AccessRules;
import org.carnet.access.DemoIdentities;
import org.carnet.database.DatabaseProperties;
import org.carnet.record.Criterion;
import org.carnet.record.RecordReads;
import org.carnet.record.SearchQuery;
import org.carnet.record.Transactions;
import org.carnet.record.Visibility;
import org.carnet.synthetic.SyntheticData;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Loads the demo once, into an empty store, through the same transaction path as any client: four hand-written
 * patients ({@code classpath:demo/}) and the synthetic generator's {@code demo} profile. By default
 * ({@code carnet.demo.seed=auto}) only into the embedded database, never into an external one unless asked.
 *
 * <p>All or nothing: the whole demo is one transaction, so a start stopped while it loads leaves an empty store and
 * the next start loads it again. It loads before Carnet declares itself ready ({@code /actuator/health/readiness}),
 * and the API answers 503 until then.
 */
@Component
class DemoData {

    static final long DEMO_SEED = 2026;
    static final int DEMO_PATIENTS = 30;

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final RecordReads vault;
    private final Transactions bundles;
    private final AccessRules rules;
    private final org.springframework.transaction.support.TransactionTemplate transactions;
    private final boolean enabled;

    DemoData(
            RecordReads vault,
            Transactions bundles,
            AccessRules rules,
            org.springframework.transaction.support.TransactionTemplate transactions,
            DatabaseProperties database,
            @Value("${carnet.demo.seed:auto}") String seed) {
        this.vault = vault;
        this.bundles = bundles;
        this.rules = rules;
        this.transactions = transactions;
        this.enabled = switch (seed) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> !database.db().configured();
            default ->
                throw new IllegalArgumentException("carnet.demo.seed must be auto, true or false, not '" + seed + "'");
        };
    }

    /**
     * The holders' rules of the demo (README, "A tour of the demo"): Dr Moreau is the médecin traitant of the four
     * hand-written patients; Jeanne Martin's care team has a nurse and a pharmacist.
     */
    private void grantDemoAccess() {
        for (int i = 1; i <= 4; i++) {
            String patient = demoPatient("demo-0" + i);
            rules.add(patient, AccessRules.Kind.TRAITANT, DemoIdentities.TRAITANT_IDNAT, null, "demo");
        }
        String jeanne = demoPatient("demo-01");
        rules.add(jeanne, AccessRules.Kind.CARE_TEAM, "810100000013", null, "demo");
        rules.add(jeanne, AccessRules.Kind.CARE_TEAM, "810100000021", null, "demo");
    }

    private String demoPatient(String marker) {
        List<Long> pks = vault.search(new SearchQuery(
                "Patient",
                List.of(new Criterion("identifier", null, List.of("urn:carnet:demo|" + marker))),
                List.of()));
        return vault.loadJson(pks, Visibility.UNRESTRICTED).get(0).id();
    }

    @EventListener(ApplicationReadyEvent.class)
    void loadIntoEmptyStore() {
        if (!enabled
                || !vault.search(new SearchQuery("Patient", List.of(), List.of()))
                        .isEmpty()) {
            return;
        }
        log.info("Loading the demo data into the empty store (first start); the API answers 503 until it is loaded");
        long start = System.nanoTime();
        int[] counts = transactions.execute(status -> load());
        log.info(
                "Demo data loaded: {} patients, {} resources in {} ms (carnet.demo.seed=false to skip). Carnet is ready.",
                counts[0],
                counts[1],
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The whole demo, in the caller's transaction; returns the number of patients and of resources. */
    private int[] load() {
        int entries = 0;
        FhirContext context = vault.fhirContext();
        Resource[] files;
        try {
            files = new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the demo files", e);
        }
        Arrays.sort(files, Comparator.comparing(Resource::getFilename));
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                entries += bundles.process(context.newJsonParser().parseResource(Bundle.class, in))
                        .getEntry()
                        .size();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read demo file " + file.getFilename(), e);
            }
        }
        SyntheticData synthetic = new SyntheticData(new SyntheticData.Options(
                SyntheticData.Profile.DEMO, DEMO_SEED, DEMO_PATIENTS, Set.of("fhir"), SyntheticData.DEFAULT_TODAY));
        entries += bundles.process(synthetic.directoryBundle()).getEntry().size();
        for (int i = 0; i < DEMO_PATIENTS; i++) {
            for (Bundle bundle : synthetic.patientBundles(i)) {
                entries += bundles.process(bundle).getEntry().size();
            }
        }
        grantDemoAccess();
        return new int[] {files.length + DEMO_PATIENTS, entries};
    }
}
