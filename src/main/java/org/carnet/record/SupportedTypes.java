package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resource types the record stores. Storage and search are generic, so every FHIR R4 resource type
 * is accepted (Synthea and hospital feeds send many); {@link #CORE} are those a patient record is built from
 * and that Carnet's tests cover one by one.
 */
public final class SupportedTypes {

    /** Types that are not data and are never stored. */
    private static final Set<String> NOT_STORED = Set.of("Parameters", "OperationOutcome", "Bundle");

    /** Every resource type Carnet stores and serves, alphabetically. */
    public static final List<String> ALL = FhirContext.forR4Cached().getResourceTypes().stream()
            .filter(type -> !NOT_STORED.contains(type))
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new))
            .stream()
            .toList();

    /** The types a patient record is built from. */
    public static final List<String> CORE = List.of(
            "Patient",
            "Practitioner",
            "PractitionerRole",
            "Organization",
            "Encounter",
            "DocumentReference",
            "Binary",
            "Observation",
            "DiagnosticReport",
            "Condition",
            "AllergyIntolerance",
            "MedicationRequest",
            "MedicationStatement",
            "MedicationDispense",
            "Immunization",
            "Procedure",
            "Appointment",
            "Communication",
            "Consent",
            "AuditEvent",
            "Provenance");

    private SupportedTypes() {}

    private static final Set<String> ALL_SET = Set.copyOf(ALL);

    public static boolean isSupported(String type) {
        return ALL_SET.contains(type);
    }
}
