package org.carnet.ingestion;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.carnet.record.Transactions;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * FHIR R4 transaction Bundles (JSON), such as a hospital's export of one patient's record: applied as one unit
 * through the same transaction processing as {@code POST /fhir}, documents included (their contents go to the
 * blob store, their unique ids are filed once). A Bundle that creates its Patient needs no matching; one that only
 * names a Patient is filed where it points.
 */
@Component
class FhirConnector implements Connector {

    private final Transactions bundles;
    private final FhirContext fhir;
    private final org.carnet.record.RecordReads vault;

    FhirConnector(Transactions bundles, FhirContext fhir, org.carnet.record.RecordReads vault) {
        this.bundles = bundles;
        this.fhir = fhir;
        this.vault = vault;
    }

    @Override
    public String name() {
        return "fhir";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json")
                && new String(head, StandardCharsets.UTF_8).contains("\"Bundle\"");
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        Bundle bundle;
        try {
            bundle = fhir.newJsonParser()
                    .parseResource(Bundle.class, new String(item.content(), StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException e) {
            throw new Refused("not a FHIR R4 Bundle in JSON: " + e.getMessage());
        }
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new Refused("a FHIR item is a transaction Bundle, not " + bundle.getType());
        }
        return Reading.selfFiling(() -> {
            Bundle response = bundles.process(bundle);
            boolean duplicate =
                    response.getEntry().stream().allMatch(e -> e.getResponse().hasOutcome());
            List<String> resources = response.getEntry().stream()
                    .map(e -> e.getResponse().getLocation())
                    .filter(l -> l != null)
                    .map(l -> l.contains("/_history") ? l.substring(0, l.indexOf("/_history")) : l)
                    .toList();
            java.util.Map<String, List<String>> byPatient = new java.util.LinkedHashMap<>();
            for (String resource : resources) {
                String[] parts = resource.split("/");
                String patient = vault.patientOf(parts[0], parts[1]).orElse("");
                byPatient
                        .computeIfAbsent(patient, p -> new java.util.ArrayList<>())
                        .add(resource);
            }
            String patient = byPatient.keySet().stream()
                    .filter(p -> !p.isEmpty())
                    .findFirst()
                    .orElse(null);
            return new Applied(patient, resources, duplicate, byPatient);
        });
    }
}
