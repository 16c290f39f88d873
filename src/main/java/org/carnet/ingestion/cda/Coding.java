package org.carnet.ingestion.cda;

/**
 * A coded value as the sender wrote it: {@code system} is the HL7 v2 coding-system name (e.g. {@code LN},
 * {@code MetaDMPMSS}) or the CDA's codeSystem OID, not a FHIR URI; any part may be null, but not all three.
 */
public record Coding(
        @org.jspecify.annotations.Nullable String system,
        @org.jspecify.annotations.Nullable String code,
        @org.jspecify.annotations.Nullable String display) {

    public Coding {
        if (code == null && display == null && system == null) {
            throw new IllegalArgumentException("a coding needs a code, a display or a system");
        }
    }

    private static final String LOINC_OID = "2.16.840.1.113883.6.1";
    private static final String SNOMED_OID = "2.16.840.1.113883.6.96";

    /**
     * The FHIR coding: LOINC ({@code LN} or its OID) as {@code http://loinc.org}, SNOMED CT ({@code SCT} or its OID) as
     * {@code http://snomed.info/sct}, UCUM as {@code http://unitsofmeasure.org}, an OID as {@code urn:oid:…}, a URI
     * as it is; a local code (HL7 table 0396 {@code L}, {@code 99zzz}) or another HL7 name has no FHIR system Carnet
     * could vouch for, and goes without one (code and display kept).
     */
    public org.hl7.fhir.r4.model.Coding toFhir() {
        String fhirSystem = system == null
                ? null
                : "LN".equals(system) || LOINC_OID.equals(system)
                        ? "http://loinc.org"
                        : "SCT".equals(system) || SNOMED_OID.equals(system)
                                ? "http://snomed.info/sct"
                                : "UCUM".equalsIgnoreCase(system)
                                        ? "http://unitsofmeasure.org"
                                        : system.matches("[0-2](\\.[0-9]+)+")
                                                ? "urn:oid:" + system
                                                : system.contains(":") ? system : null;
        return new org.hl7.fhir.r4.model.Coding(fhirSystem, code, display);
    }
}
